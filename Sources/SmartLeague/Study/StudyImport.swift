import Fluent
import LeagueCore
import Vapor

/// Completions from the national platform's export. Every item gets its own outcome; the
/// items that can be taken are written in one transaction with one audit entry for the batch.
enum StudyImport {
    enum Outcome: Sendable, Equatable {
        case recorded, alreadyDone, refused(String)

        var label: String {
            switch self {
            case .recorded: "已计入"
            case .alreadyDone: "此前已计入，不重复计数"
            case .refused(let reason): "未导入：\(reason)"
            }
        }
    }

    struct Line: Sendable {
        let line: Int
        let memberNumber: String
        let episode: String
        let outcome: Outcome
    }

    struct Report: Sendable {
        let lines: [Line]
        var recorded: Int { lines.filter { $0.outcome == .recorded }.count }
        var alreadyDone: Int { lines.filter { $0.outcome == .alreadyDone }.count }
        var refused: Int { lines.count - recorded - alreadyDone }
    }

    static func run(_ items: [CompletionBatch.Item], _ change: ChangeContext, on db: any Database) async throws -> Report {
        var episodes: [String: StudyEpisode?] = [:]
        for code in Set(items.map(\.episode)) where !code.isEmpty {
            episodes[code] = try await StudyEpisodes.find(code: code, on: db)
        }
        var members: [String: Member] = [:]
        let numbers = Array(Set(items.map(\.memberNumber).filter { !$0.isEmpty }))
        for start in stride(from: 0, to: numbers.count, by: 500) {
            let chunk = Array(numbers[start..<min(start + 500, numbers.count)])
            for member in try await change.scope.members(on: db).filter(\.$memberNumber ~~ chunk).all() {
                members[member.memberNumber] = member
            }
        }
        var outcomes: [Int: Outcome] = [:]
        var entries: [(Int, CompletionRows.Entry)] = []
        for (index, item) in items.enumerated() {
            if let problem = item.problem { outcomes[index] = .refused(problem); continue }
            guard let found = episodes[item.episode], let episode = found else {
                outcomes[index] = .refused("期次「\(item.episode)」不存在（应为“季-期”，如 12-5）"); continue
            }
            guard let member = members[item.memberNumber] else {
                outcomes[index] = .refused("找不到团员编号「\(item.memberNumber)」，或不在您的管理范围内"); continue
            }
            let at = item.completedAt!
            if let refusal = episode.window(at: at).refusal {
                outcomes[index] = .refused("完成时间不在\(episode.label)的学习时间内（\(refusal)）"); continue
            }
            guard at <= change.now else { outcomes[index] = .refused("完成时间晚于现在"); continue }
            entries.append((index, CompletionRows.Entry(episodeID: episode.id!, memberID: member.id!, branchID: member.branchID,
                                                         branchPath: member.branchPath, at: at, source: "import", score: nil)))
        }
        let inserted = try await FluentCompletionStore.insert(entries.map(\.1), on: db)
        var claimed = Set<CompletionRows.Key>()
        for (index, entry) in entries {
            outcomes[index] = inserted.contains(entry.key) && claimed.insert(entry.key).inserted ? .recorded : .alreadyDone
        }
        let report = Report(lines: items.enumerated().map { index, item in
            Line(line: item.line, memberNumber: item.memberNumber, episode: item.episode, outcome: outcomes[index]!)
        })
        guard let unit = try await change.scope.organizations(on: db).sort(\.$path).first() else { throw Abort(.notFound) }
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "study.import", entityType: "study_completion", entityID: "batch",
                               summary: "导入青年大学习完成记录 \(items.count) 条：计入 \(report.recorded)，重复 \(report.alreadyDone)，未导入 \(report.refused)",
                               changes: [FieldChange(field: "计入", old: "", new: String(report.recorded))])
        return report
    }
}
