import Fluent
import LeagueCore
import Vapor

/// Group commit for completions that arrive in bursts: each request waits for the statement
/// that carries it, so a success answer always means the completion is stored, and a burst costs
/// one statement per few hundred completions instead of one each.
enum CompletionRecorder {
    /// A completion to record, with who sent it: a member the session middleware already found,
    /// or, on the burst path, a session cookie that the batch itself looks up, so that a burst
    /// request costs one batch instead of two.
    struct Claim: Sendable {
        enum Learner: Sendable {
            case member(id: Int, branchID: Int, branchPath: TreePath)
            /// The session's key and the form's CSRF token, both still to be checked.
            case session(key: String, csrf: String)
        }

        let learner: Learner
        let episodeID: Int
        let score: Int
        let at: Date
    }

    enum Outcome: Sendable {
        case recorded, alreadyDone
        /// The session is not one the burst path records for: the ordinary route answers it.
        case notForBurst
    }

    static func make(store: any CompletionStore, idleMinutes: Int) -> Batcher<Claim, Outcome> {
        // At most one insert statement a batch (`FluentCompletionStore` takes 1,000 rows a
        // statement), so that a batch needs no transaction around it on PostgreSQL.
        Batcher(largest: 1000) { claims in
            try await store.record(claims, idleMinutes: idleMinutes)
        }
    }

    /// The session keys a batch has to read.
    static func sessionKeys(_ claims: [Claim]) -> [String] {
        Array(Set(claims.compactMap { claim -> String? in
            if case .session(let key, _) = claim.learner { key } else { nil }
        }))
    }

    /// What a batch writes, once its sessions are read: an entry for each claim of a member, and
    /// the last-seen time of the sessions that are due for one. The same for every store.
    struct Batch {
        let claims: [Claim]
        var entries: [(index: Int, entry: CompletionRows.Entry)] = []
        var touch: (sessionIDs: [String], at: Date)?

        init(_ claims: [Claim], sessions: [String: SessionStore.Found], idleMinutes: Int) {
            self.claims = claims
            var due: Set<String> = []
            for (index, claim) in claims.enumerated() {
                switch claim.learner {
                case .member(let id, let branchID, let branchPath):
                    entries.append((index, claim.entry(memberID: id, branchID: branchID, branchPath: branchPath)))
                case .session(let key, let csrf):
                    guard let found = sessions[key], let actor = CompletionBurst.learner(found, csrf: csrf, at: claim.at, idleMinutes: idleMinutes),
                          let memberID = actor.memberID else { continue }
                    entries.append((index, claim.entry(memberID: memberID, branchID: actor.unitID, branchPath: actor.unitPath)))
                    if found.isDueForTouch(at: claim.at) { due.insert(found.session_id) }
                }
            }
            if !due.isEmpty, let now = claims.map(\.at).max() { touch = (Array(due), now) }
        }

        /// Within one batch the first of two equal entries is the one stored.
        func outcomes(inserted: Set<CompletionRows.Key>) -> [Outcome] {
            var outcomes = [Outcome](repeating: .notForBurst, count: claims.count)
            var answered = Set<CompletionRows.Key>()
            for (index, entry) in entries {
                outcomes[index] = answered.insert(entry.key).inserted && inserted.contains(entry.key) ? .recorded : .alreadyDone
            }
            return outcomes
        }
    }
}

extension CompletionRecorder.Claim {
    fileprivate func entry(memberID: Int, branchID: Int, branchPath: TreePath) -> CompletionRows.Entry {
        CompletionRows.Entry(episodeID: episodeID, memberID: memberID, branchID: branchID, branchPath: branchPath,
                              at: at, source: "app", score: score)
    }
}

extension Application {
    private struct RecorderKey: StorageKey { typealias Value = Batcher<CompletionRecorder.Claim, CompletionRecorder.Outcome> }

    /// Set once in `configure`, so that every request shares the one queue.
    var completionRecorder: Batcher<CompletionRecorder.Claim, CompletionRecorder.Outcome> {
        get { configured(RecorderKey.self) }
        set { storage[RecorderKey.self] = newValue }
    }
}
