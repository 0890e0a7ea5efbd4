import Vapor

func routes(_ app: Application) throws {
    // The bare route that speed figures are compared against: no session, no database.
    app.get("health") { _ in "ok" }

    let session: [any Middleware] = [SessionAuthenticator()]
    let signIn = session + [RequireSignIn(), CSRFProtection()]
    let league = signIn + [RequireLeagueAccount()]
    let pages = app.grouped(session)
    try pages.register(collection: AuthController())

    let signedIn = app.grouped(signIn)
    try signedIn.register(collection: HomeController())
    let leagueRoutes = app.grouped(league)
    let learn = LearnController()
    try leagueRoutes.register(collection: learn)
    // 青年大学习's burst path answers the plain case before the session is looked up; anything
    // else goes on through the same checks as every league page.
    app.grouped([CompletionBurst(app)] + league).post("learn", ":id", use: learn.complete)
    try leagueRoutes.register(collection: TransferController())
    try signedIn.register(collection: VolunteerSelfController())
    try pages.register(collection: VolunteerPublicController())

    let admin = signedIn.grouped(RequireAdministrator())
    try admin.register(collection: OrganizationController())
    try admin.register(collection: TreeController())
    try admin.register(collection: ChangeRequestController())
    try admin.register(collection: AccountsController())
    try admin.register(collection: AuditController())
    try admin.register(collection: MemberImportController())
    try admin.register(collection: MembersController())
    try admin.register(collection: StatisticsController())
    try admin.register(collection: WorkPlanController())
    try admin.register(collection: TaskController())
    try admin.register(collection: RegistryController())
    try admin.register(collection: DashboardController())
    try admin.register(collection: EvaluationController())
    try admin.register(collection: StudyController())
    try admin.register(collection: OrgLifeController())
    try admin.register(collection: CadreController())
    try admin.register(collection: GradingController())
    try admin.register(collection: AdmissionController())
    try admin.register(collection: DuesController())
    try admin.register(collection: LeavingController())
    try admin.register(collection: ReviewController())
    try admin.register(collection: VolunteerAdminController())
    try admin.register(collection: VolunteerIdentityController())
    try admin.register(collection: VolunteerPostController())
    try admin.register(collection: VolunteerServiceController())
    try admin.register(collection: ContestController())
}
