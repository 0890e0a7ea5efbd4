import Fluent
import Vapor

/// Signed-in young people's questions, gathered while a batch is written and filed together in
/// one transaction (`Batcher`): the day a campaign is announced thousands ask within minutes, and
/// one write each would queue them behind each other at the single writer of SQLite.
enum VoiceAskQueue {
    typealias Queue = Batcher<VoiceWrites.Asking, Result<VoiceItem, Refusal>>

    private struct Key: StorageKey { typealias Value = Queue }

    static func configure(_ app: Application) {
        app.storage[Key.self] = Queue(largest: 200) { askings in
            try await app.writer.write(app.db) { db in try await VoiceWrites.ask(askings, on: db) }
        }
    }

    /// Files one question with those asked at the same moment; its refusal, if the rules refuse it.
    static func ask(_ asking: VoiceWrites.Asking, _ req: Request) async throws -> Result<VoiceItem, Refusal> {
        guard let queue = req.application.storage[Key.self] else {
            return try await req.application.writer.write(req.db) { db in try await VoiceWrites.ask([asking], on: db)[0] }
        }
        return try await queue.submit(asking, on: req.eventLoop).get()
    }
}
