import Foundation
import NIOConcurrencyHelpers
import Vapor

/// `smartleague demo --members 100000 --seed 1`: builds the demo city into an empty database.
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "members", short: "m", help: "How many members (default 10000)")
        var members: Int?
        @Option(name: "seed", short: "s", help: "The seed: the same seed builds the same city (default 1)")
        var seed: Int?
    }

    var help: String { "Builds a deterministic synthetic Ningbo (units, members and the work of every part) into an empty database." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let total = signature.members ?? 10_000
        guard (1...5_000_000).contains(total) else {
            context.console.error("--members must be from 1 to 5000000.")
            throw ExitCode(2)
        }
        let app = context.application
        if let admin = try await Bootstrap.prepare(app) { context.console.print(Bootstrap.banner(admin)) }
        try await SQLiteTuning.apply(SQLiteTuning.buildPragmas, app)
        let summary: DemoCity.Summary
        do {
            let bar = ProgressBars()
            summary = try await DemoCity.build(app, members: total, seed: UInt64(max(0, signature.seed ?? 1))) { what, done, total in
                bar.show(what, done, total)
            }
        } catch let refusal as Refusal {
            context.console.error(refusal.message)
            throw ExitCode(1)
        }
        FileHandle.standardError.write(Data("\n".utf8))
        context.console.print(String(format: "演示城市已生成：%d 个组织，%d 名团员，用时 %.1f 秒。", summary.units, summary.members, summary.seconds))
        context.console.print("各级演示账号（密码均为 \(DemoCity.demoPassword)）：")
        for signIn in summary.signIns {
            context.console.print("  \(signIn.level)  \(signIn.username)  \(signIn.unit)")
        }
    }
}

/// One progress bar per stage on standard error, with the seconds the stage has taken: a stage's
/// bar is redrawn in place and left standing when the next stage begins.
final class ProgressBars: Sendable {
    private let current = NIOLockedValueBox<(stage: String, started: Date)?>(nil)

    func show(_ what: String, _ done: Int, _ total: Int) {
        let now = Date()
        let (newStage, started) = current.withLockedValue { current -> (Bool, Date) in
            if let current, current.stage == what { return (false, current.started) }
            defer { current = (what, now) }
            return (current != nil, now)
        }
        let width = 40
        let filled = min(width, done * width / max(1, total))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "[\(bar)] \(min(100, done * 100 / max(1, total)))% \(done)/\(total) \(what) "
            + String(format: "%.1f", now.timeIntervalSince(started)) + " 秒"
        FileHandle.standardError.write(Data(((newStage ? "\n" : "\r") + line).utf8))
    }
}
