import Fluent
import Vapor

/// Signed-in young people's questions, gathered while a batch is written and filed together in
/// one transaction (`Batcher`): the day a campaign is announced thousands ask within minutes, and
/// one write each would queue them behind each other at the single writer of SQLite.
enum VoiceAskQueue {
    typealias Queue = Batcher<VoiceWrites.Asking, Result<VoiceItem, Refusal>>

    private struct Key: StorageKey { typealias Value = Queue }

    static func configure(_ app: Application) {
        app.storage[Key.self] = Queue(largest: 200) { askings in await file(askings, app) }
    }

    /// Files questions asked at the same moment in one transaction. If the database refuses it
    /// (nothing of it stays), each is filed again alone, so that one question the database cannot
    /// take does not sink the others; one that still fails gets a message instead of an error page.
    static func file(_ askings: [VoiceWrites.Asking], _ app: Application) async -> [Result<VoiceItem, Refusal>] {
        do {
            return try await app.writer.write(app.db) { db in try await VoiceWrites.ask(askings, on: db) }
        } catch {
            app.logger.error("青年之声: \(askings.count) question(s) could not be filed together: \(String(reflecting: error))")
            guard askings.count > 1 else { return [.failure(Refusal("提交未成功，请稍后再试"))] }
            var results: [Result<VoiceItem, Refusal>] = []
            for asking in askings { results += await file([asking], app) }
            return results
        }
    }

    /// Files one question with those asked at the same moment; its refusal, if the rules refuse it.
    static func ask(_ asking: VoiceWrites.Asking, _ req: Request) async throws -> Result<VoiceItem, Refusal> {
        guard let queue = req.application.storage[Key.self] else { return await file([asking], req.application)[0] }
        return try await queue.submit(asking, on: req.eventLoop).get()
    }
}
