import Fluent
import Vapor

/// 青年大学习: weekly episodes, members' completions (with the burst path), participation.
struct StudyPart: LeaguePart {
    var menu: [MenuEntry] {
        [MenuEntry("青年大学习", StudyRoute.index, for: .administrators, rank: 130),
         MenuEntry("青年大学习", LearnRoute.index, for: .members, rank: 30)]
    }

    var migrations: [any Migration] { [CreateStudy(), AddStudyCountTrigger()] }

    func routes(_ routes: PartRoutes) throws {
        let learn = LearnController()
        try routes.league.register(collection: learn)
        // The burst path answers the plain completion before the session is looked up; anything
        // else goes on through the same checks as every league page.
        routes.app.grouped([CompletionBurst(routes.app)] + routes.leagueMiddleware).post(LearnRoute.complete(.key), use: learn.complete)
        try routes.administrators.register(collection: StudyController())
    }

    var unitPathColumns: [UnitPathColumn] {
        [UnitPathColumn(StudyCompletion.schema, "branch_path", unitID: "branch_id", .staysAsHistory)]
    }

    func configure(_ app: Application) throws {
        try CompletionBurst.configure(app)
    }

    /// Leans on no other fill: its learners are the members as the tree was loaded
    /// (`DemoCityContext.branches`).
    var demo: DemoFill? {
        DemoFill(name: "青年大学习", leansOn: []) { context, progress in try await StudyDemo.fill(context, progress: progress) }
    }
}
