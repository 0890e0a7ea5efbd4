import Foundation
import Fluent
import LeagueCore
import SQLKit

/// The figures of 青年之声 for a unit in reach and a year: all its items, by category and by the
/// units directly below it (items per category and unit, speed, overdue share, satisfaction,
/// reopening), and the score the yearly evaluation takes from them.
enum VoiceStatistics {
    struct Report {
        let total: VoiceFigures
        let byCategory: [(name: String, figures: VoiceFigures)]
        let byUnit: [(unitID: Int, figures: VoiceFigures)]
    }

    private struct Row: Decodable {
        let category: String
        let unit_path: String
        let status: String
        let submitted_at: Date
        let accepted_at: Date?
        let answered_at: Date?
        let answer_due: String
        let rating: String?
        let reopened: Int
    }

    /// The figures of a unit's subtree for the year, for the evaluation (no unit: none).
    static func figures(unitID: Int, year: Int, today: CalendarDate, on db: any Database) async throws -> VoiceFigures {
        guard let unit = try await Scope.unrestricted.organizations(on: db).filter(\.$id == unitID).first() else { return VoiceFigures() }
        return try await report(of: unit, year: year, today: today, on: db).total
    }

    /// `unit` is one the caller reaches (`Request.chosenUnit`); its subtree is one index range.
    static func report(of unit: Organization, year: Int, today: CalendarDate, on db: any Database) async throws -> Report {
        guard let start = CalendarDate(year: year, month: 1, day: 1), let end = CalendarDate(year: year + 1, month: 1, day: 1) else {
            return Report(total: VoiceFigures(), byCategory: [], byUnit: [])
        }
        let rows = try await db.sql.select()
            .columns("category", "unit_path", "status", "submitted_at", "accepted_at", "answered_at", "answer_due", "rating", "reopened")
            .from(VoiceItem.schema)
            .where("unit_path", .greaterThanOrEqual, SQLBind(unit.path.subtreeLowerBound)).where("unit_path", .lessThan, SQLBind(unit.path.subtreeUpperBound))
            .where("submitted_at", .greaterThanOrEqual, SQLBind(ChinaTime.startOfDay(start))).where("submitted_at", .lessThan, SQLBind(ChinaTime.startOfDay(end)))
            .all(decoding: Row.self)
        let calendar = try await VoicePolicyData.calendar(on: db)
        var byCategory: [String: [VoiceRecord]] = [:], byUnit: [Int: [VoiceRecord]] = [:], all: [VoiceRecord] = []
        let depth = unit.path.ids.count
        for row in rows {
            guard let status = VoiceStatus(rawValue: row.status), let submitted = ChinaTime.calendarDay(row.submitted_at),
                  let due = CalendarDate(row.answer_due), let path = TreePath(row.unit_path) else { continue }
            let record = VoiceRecord(status: status, submittedOn: submitted, acceptedOn: row.accepted_at.flatMap(ChinaTime.calendarDay),
                                     answeredOn: row.answered_at.flatMap(ChinaTime.calendarDay), answerDue: due,
                                     rating: row.rating.flatMap(VoiceRating.init(rawValue:)), reopened: row.reopened > 0)
            all.append(record)
            byCategory[row.category, default: []].append(record)
            if path.ids.count > depth { byUnit[path.ids[depth], default: []].append(record) }
        }
        return Report(total: .of(all, calendar: calendar, today: today),
                      byCategory: byCategory.map { ($0.key, VoiceFigures.of($0.value, calendar: calendar, today: today)) }
                        .sorted { ($0.figures.items, $1.name) > ($1.figures.items, $0.name) },
                      byUnit: byUnit.map { ($0.key, VoiceFigures.of($0.value, calendar: calendar, today: today)) }
                        .sorted { ($0.figures.items, $1.unitID) > ($1.figures.items, $0.unitID) })
    }
}
