import Fluent
import LeagueCore
import Vapor

/// What the grading pages read.
enum GradingQueries {
    static func rounds(on db: any Database) async throws -> [GradingRound] {
        try await GradingRound.query(on: db).sort(\.$year, .descending).all()
    }

    /// A round's sheets under a unit: all of them for the distribution, and one page of them
    /// with their branches' names.
    struct Round {
        let round: GradingRound
        let unit: Organization
        let sheets: [GradingSheet]
        let pagination: Pagination
        let shown: [GradingSheet]
        let unitNames: [Int: String]
    }

    static func round(_ id: Int, under unit: Organization, page: Int, scope: Scope, on db: any Database) async throws -> Round {
        let round = try await GradingWrites.round(id, on: db)
        let sheets = try await Scope(reach: .subtree(unit.path)).within(scope.query(GradingSheet.self, on: db), \GradingSheet.$branchPath)
            .filter(\.$roundID == id).sort(\.$branchPath).all()
        let pagination = Pagination(page: page, pageSize: 50, total: sheets.count, keep: ["unit": String(unit.id ?? 0)])
        let shown = Array(sheets.dropFirst(pagination.offset).prefix(pagination.pageSize))
        let names = try await Directory.unitNames(shown.map(\.branchID), on: db)
        return Round(round: round, unit: unit, sheets: sheets, pagination: pagination, shown: shown, unitNames: names)
    }

    /// One sheet with its round and branch, and the figures the reviewer checks it by: as they
    /// stood at the review once reviewed, as they stand today before.
    struct Sheet {
        let sheet: GradingSheet
        let round: GradingRound
        let branch: Organization
        let facts: [String]
    }

    static func sheet(_ id: Int, today: CalendarDate, scope: Scope, on db: any Database) async throws -> Sheet {
        let sheet = try await scope.find(GradingSheet.self, id, on: db)
        let round = try await GradingWrites.round(sheet.roundID, on: db)
        let branch = try await scope.organization(sheet.branchID, on: db)
        let facts = sheet.status == .reviewed ? sheet.facts.split(separator: "；").map(String.init)
            : try await GradingFacts.of(branch, year: round.year, today: today, on: db).map { "\($0.label)：\($0.value)" }
        return Sheet(sheet: sheet, round: round, branch: branch, facts: facts)
    }
}
