import Fluent
import Vapor

/// Signed-in young people's questions, gathered while a batch is written and filed together in
/// one transaction (`Batcher`): the day a campaign is announced thousands ask within minutes, and
/// one write each would queue them behind each other at the single writer of SQLite.
enum VoiceAskQueue {
    typealias Queue = Batcher<VoiceWrites.Asking, Result<VoiceItem, Refusal>>

    private struct Key: StorageKey { typealias Value = Queue }

    static func configure(_ app: Application) {
        app.storage[Key.self] = Queue(largest: 200) { askings in try await file(askings, app) }
    }

    /// Files questions asked at the same moment in one transaction. If the database refuses a row
    /// of it (a constraint; nothing of the batch stays), each half is filed again on its own, so that
    /// one question the database cannot take does not sink the others, and that one gets a message
    /// instead of an error page. Any other failure (the writers' queue full, a lost connection) is
    /// every asker's answer as it is: filing again would only wait longer.
    static func file(_ askings: [VoiceWrites.Asking], _ app: Application) async throws -> [Result<VoiceItem, Refusal>] {
        do {
            return try await app.writer.write(app.db) { db in try await VoiceWrites.ask(askings, on: db) }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Only the kind of failure: the statement's values are young people's questions.
            app.logger.error("青年之声: the database refused a row of a batch of \(askings.count) question(s) (\(type(of: error)))")
            guard askings.count > 1 else { return [.failure(Refusal("提交未成功，请检查填写的内容后再试"))] }
            let half = askings.count / 2
            return try await file(Array(askings[..<half]), app) + file(Array(askings[half...]), app)
        }
    }

    /// Files one question with those asked at the same moment; its refusal, if the rules refuse it.
    static func ask(_ asking: VoiceWrites.Asking, _ req: Request) async throws -> Result<VoiceItem, Refusal> {
        guard let queue = req.application.storage[Key.self] else { return try await file([asking], req.application)[0] }
        return try await queue.submit(asking, on: req.eventLoop).get()
    }
}
