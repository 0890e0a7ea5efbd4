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
            summary = try await DemoCity.build(app, members: total, seed: UInt64(max(0, signature.seed ?? 1)),
                                               progress: { what, done, total in bar.show(what, done, total) },
                                               finished: { what in bar.finish(what) })
        } catch let refusal as Refusal {
            FileHandle.standardError.write(Data("\n".utf8))
            context.console.error(refusal.message)
            throw ExitCode(1)
        }
        context.console.print(String(format: "演示城市已生成：%d 个组织，%d 名团员，用时 %.1f 秒。", summary.units, summary.members, summary.seconds))
        context.console.print("各级演示账号（密码均为 \(DemoCity.demoPassword)）：")
        for signIn in summary.signIns {
            context.console.print("  \(signIn.level)  \(signIn.username)  \(signIn.unit)")
        }
    }
}

/// One progress bar per stage on standard error, with the seconds the stage has taken. The stages
/// under way share the last line, redrawn in place; a stage that ends leaves its bar standing on
/// a line of its own above them.
final class ProgressBars: Sendable {
    private struct Stage {
        let name: String
        let started: Date
        var done = 0
        var total = 1

        var percent: Int { min(100, max(0, done) * 100 / max(1, total)) }
    }

    private let running = NIOLockedValueBox<[Stage]>([])

    func show(_ what: String, _ done: Int, _ total: Int) {
        running.withLockedValue { stages in
            if let index = stages.firstIndex(where: { $0.name == what }) {
                stages[index].done = done
                stages[index].total = total
            } else {
                stages.append(Stage(name: what, started: Date(), done: done, total: total))
            }
            Self.write(standing: nil, running: stages)
        }
    }

    func finish(_ what: String) {
        running.withLockedValue { stages in
            guard let index = stages.firstIndex(where: { $0.name == what }) else { return }
            var stage = stages.remove(at: index)
            stage.done = max(stage.done, stage.total)
            Self.write(standing: stage, running: stages)
        }
    }

    /// Writes the stage that ended (if any) as a line of its own and, on a terminal, redraws the
    /// stages still running on the last line: one with its bar, several by name and share, short
    /// enough not to wrap (a wrapped line could not be cleared). A log gets the ended stages only.
    private static func write(standing: Stage?, running: [Stage]) {
        let now = Date()
        let terminal = isatty(STDERR_FILENO) == 1
        var text = terminal ? "\r\u{1B}[K" : ""
        if let standing { text += line(standing, width: 40, now: now) + "\n" }
        if terminal {
            if running.count == 1, let stage = running.first {
                text += line(stage, width: 40, now: now)
            } else if !running.isEmpty {
                text += "进行中：" + running.map { "\($0.name) \($0.percent)%" }.joined(separator: " · ")
            }
        }
        guard !text.isEmpty else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }

    private static func line(_ stage: Stage, width: Int, now: Date) -> String {
        let total = max(1, stage.total)
        let filled = min(width, max(0, stage.done) * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "[\(bar)] \(stage.percent)% \(stage.done)/\(stage.total) \(stage.name) "
            + String(format: "%.1f", now.timeIntervalSince(stage.started)) + " 秒"
    }
}
