import Fluent
import LeagueCore
import Vapor

/// `smartleague import members FILE --unit UNIT`: the web import's check and report on the
/// command line. Rows go to their own 所在团支部 within UNIT, or to UNIT itself when it is a branch.
struct ImportCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = ["members": ImportMembersCommand()]
    var help: String { "Imports records from CSV files (see `import members --help`)." }
}

struct ImportMembersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A CSV file as Excel saves it (UTF-8 or GBK)")
        var file: String
        @Option(name: "unit", short: "u", help: "The unit's code or full name; rows must lie in it")
        var unit: String?
        @Flag(name: "all-or-nothing", help: "Import nothing when any row is wrong (default: import the good rows)")
        var allOrNothing: Bool
    }

    var help: String { "Checks every row of a member file, prints a report, and imports the good rows." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if let admin = try await Bootstrap.prepare(app) { context.console.print(Bootstrap.banner(admin)) }
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            context.console.error("Cannot read \(signature.file).")
            throw ExitCode(2)
        }
        var scope = Scope.unrestricted
        var defaultBranch: String?
        if let key = signature.unit {
            guard let unit = try await Scope.unrestricted.activeOrganization(codeOrName: key, on: app.db) else {
                context.console.error("No active unit has the code or name \(key).")
                throw ExitCode(2)
            }
            scope = Scope(reach: .subtree(unit.path))
            if unit.type.isBranch { defaultBranch = unit.code }
        }
        let today = ChinaTime.day(app.clock.now())
        var report = try await MemberImport.check(data, defaultBranch: defaultBranch, scope: scope, vault: app.vault,
                                                  today: today, on: app.db)
        // The operator at the command line is told of every row.
        _ = report.tell(allowance: .max)
        if let problem = report.fileProblem {
            context.console.error("文件有误：\(problem)；未导入任何数据。")
            throw ExitCode(1)
        }
        context.console.print("共 \(report.rowCount) 行数据：正确 \(report.good.count) 行，有误 \(report.problems.count) 行。")
        if !report.ignoredColumns.isEmpty { context.console.print("已忽略不认识的列：" + report.ignoredColumns.joined(separator: "、")) }
        for problem in report.problems { context.console.print("  第 \(problem.line) 行：\(problem.reasons)") }
        if report.good.isEmpty || (signature.allOrNothing && !report.problems.isEmpty) {
            context.console.error("未导入任何数据。")
            throw ExitCode(1)
        }
        let change = ChangeContext(scope: scope, actor: .commandLine(), now: app.clock.now())
        let vault = app.vault
        let good = report.good
        let imported = try await app.writer.write(app.db) { db in
            try await MemberImport.commit(good, vault: vault, change, on: db) { done, total in
                FileHandle.standardError.write(Data("\r导入中 \(done)/\(total)".utf8))
            }
        }
        FileHandle.standardError.write(Data("\n".utf8))
        context.console.print("已导入 \(imported) 名团员。")
    }
}
