import Fluent
import LeagueCore
import Vapor

/// Where a batch of 青年大学习 completions reads its sessions and writes: PostgreSQL through Fluent
/// (`FluentCompletionStore`), the embedded file through a connection of its own
/// (`SQLiteCompletionStore`). What a batch decides (`CompletionRecorder.Batch`) is the same for
/// both; a store only reads and writes. One insert a batch skips completions already there, so a
/// second completion of an episode changes nothing, and the participation counts of the branch
/// and its ancestors follow inside that statement (`AddStudyCountTrigger`).
protocol CompletionStore: Sendable {
    func record(_ claims: [CompletionRecorder.Claim], idleMinutes: Int) async throws -> [CompletionRecorder.Outcome]
}

/// What a completion row is, whichever store writes it.
enum CompletionRows {
    struct Key: Hashable, Sendable, Decodable {
        let episode_id: Int
        let member_id: Int
    }

    struct Entry: Sendable {
        let episodeID: Int
        let memberID: Int
        let branchID: Int
        let branchPath: TreePath
        let at: Date
        let source: String
        let score: Int?

        var key: Key { Key(episode_id: episodeID, member_id: memberID) }
    }

    static let columns = "study_completions (episode_id, member_id, branch_id, branch_path, completed_at, source, score)"

    static func distinct(_ entries: [Entry]) -> [Entry] {
        var seen = Set<Key>()
        return entries.filter { seen.insert($0.key).inserted }
    }
}
