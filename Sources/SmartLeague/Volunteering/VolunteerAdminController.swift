import Fluent
import LeagueCore
import Vapor

/// 志愿服务 for league cadres: the overview with what awaits them, groups, projects and their
/// posts, registered volunteers with certificates, "每人认一岗" coverage and the star table.
struct VolunteerAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(VolunteeringRoute.index, use: overview)
        routes.post(VolunteeringRoute.stars, use: setStars)
        routes.get(VolunteeringRoute.groups, use: groups)
        routes.post(VolunteeringRoute.groups, use: createGroup)
        routes.post(VolunteeringRoute.decideGroup(.key), use: decideGroup)
        routes.get(VolunteeringRoute.projects, use: projects)
        routes.post(VolunteeringRoute.projects, use: createProject)
        routes.get(VolunteeringRoute.project(.key), use: project)
        routes.post(VolunteeringRoute.decideProject(.key), use: decideProject)
        routes.post(VolunteeringRoute.addPosts(.key), use: addPosts)
        routes.get(VolunteeringRoute.volunteers, use: volunteers)
        routes.get(VolunteeringRoute.volunteer(.key), use: volunteer)
        routes.post(VolunteeringRoute.issueCertificate(.key), use: issueCertificate)
        routes.get(VolunteeringRoute.coverage, use: coverage)
    }

    // MARK: Overview

    private func overviewPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let overview = try await VolunteeringQueries.overview(scope: req.scope, on: req.db)
        return try await req.page("volunteering/index", title: "志愿服务", VolunteeringPage(overview, change: req.changeContext, form: state),
                                  status: status)
    }

    @Sendable func overview(req: Request) async throws -> Response {
        try await overviewPage(req, FormState(), status: .ok)
    }

    @Sendable func setStars(req: Request) async throws -> Response {
        let (input, state) = try req.validated(StarPolicyForm.self)
        return try await req.submit(state, back: { (_: Void) in VolunteeringRoute.index.url }, flash: { _ in "星级标准已更新" },
                                    page: { try await overviewPage(req, $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            try await ServiceHours.setStarPolicy(input, change, on: db)
        }
    }

    // MARK: Groups

    private func groupsPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let groups = try await VolunteeringQueries.groups(for: try req.requireActor(), scope: req.scope, on: req.db)
        return try await req.page("volunteering/groups", title: "志愿服务组织", VolunteerGroupsPage(groups, change: req.changeContext, form: state),
                                  status: status)
    }

    @Sendable func groups(req: Request) async throws -> Response {
        try await groupsPage(req, FormState(), status: .ok)
    }

    /// A write from the groups page: back to it with a message, or the page again with the refusal.
    private func groupWrite<T: Sendable>(_ req: Request, _ state: FormState, flash: @escaping @Sendable (T) -> String,
                                         _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> T) async throws -> Response {
        try await req.submit(state, back: { _ in VolunteeringRoute.groups.url }, flash: flash,
                             page: { try await groupsPage(req, $0, status: .unprocessableEntity) }, body)
    }

    @Sendable func createGroup(req: Request) async throws -> Response {
        let (input, state) = try req.validated(VolunteerGroupForm.self)
        return try await groupWrite(req, state, flash: { (group: VolunteerGroup) in "已提交「\(group.name)」，等待上级审批" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await VolunteerOrganizing.createGroup(input, change, on: db)
        }
    }

    @Sendable func decideGroup(req: Request) async throws -> Response {
        let id = try req.id()
        let (input, state) = try req.validated(VolunteerGroupDecisionForm.self)
        return try await groupWrite(req, state, flash: { (group: VolunteerGroup) in "「\(group.name)」\(group.status.label)" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await VolunteerOrganizing.decideGroup(id, approve: input.approve, note: input.note, change, on: db)
        }
    }

    // MARK: Projects

    private func projectsPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let page = Pagination.requestedPage(req)
        let projects = try await VolunteeringQueries.projects(page: page, scope: req.scope, on: req.db)
        return try await req.page("volunteering/projects", title: "志愿服务项目",
                                  VolunteerProjectsPage(projects, page: page, today: req.today, form: state), status: status)
    }

    @Sendable func projects(req: Request) async throws -> Response {
        try await projectsPage(req, FormState(), status: .ok)
    }

    @Sendable func createProject(req: Request) async throws -> Response {
        let (input, state) = try req.validated(VolunteerProjectForm.self)
        return try await req.submit(state, back: { (project: VolunteerProject) in VolunteeringRoute.project(.value(project.id ?? 0)).url },
                                    flash: { _ in "项目已申报，等待审核发布" },
                                    page: { try await projectsPage(req, $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await VolunteerOrganizing.createProject(input, change, on: db)
        }
    }

    private func projectPage(_ req: Request, id: Int, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let project = try await VolunteeringQueries.project(id, scope: req.scope, on: req.db)
        return try await req.page("volunteering/project", title: project.project.title, VolunteerProjectPage(project, form: state), status: status)
    }

    @Sendable func project(req: Request) async throws -> Response {
        try await projectPage(req, id: try req.id(), FormState(), status: .ok)
    }

    /// A write from a project's page: back to it with a message, or the page again with the refusal.
    private func projectWrite<T: Sendable>(_ req: Request, id: Int, _ state: FormState, flash: @escaping @Sendable (T) -> String,
                                           _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> T) async throws -> Response {
        try await req.submit(state, back: { _ in VolunteeringRoute.project(.value(id)).url }, flash: flash,
                             page: { try await projectPage(req, id: id, $0, status: .unprocessableEntity) }, body)
    }

    @Sendable func decideProject(req: Request) async throws -> Response {
        let id = try req.id()
        let (input, state) = try req.validated(VolunteerProjectDecisionForm.self)
        // The page offers only the decisions there are.
        guard state.errors["decision"] == nil else { throw Abort(.badRequest) }
        return try await projectWrite(req, id: id, state, flash: { (project: VolunteerProject) in "项目\(project.status.label)" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await VolunteerOrganizing.decideProject(id, input.decision, note: input.note, change, on: db)
        }
    }

    @Sendable func addPosts(req: Request) async throws -> Response {
        let id = try req.id()
        let (input, state) = try req.validated(VolunteerPostsForm.self)
        return try await projectWrite(req, id: id, state, flash: { (posts: [VolunteerPost]) in "已添加 \(posts.count) 个岗位时段" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await VolunteerOrganizing.addPosts(to: id, input, change, on: db)
        }
    }

    // MARK: Volunteers

    @Sendable func volunteers(req: Request) async throws -> Response {
        let q = ((try? req.query.get(String.self, at: "q")) ?? "").trimmingCharacters(in: .whitespaces)
        let page = Pagination.requestedPage(req)
        let found = try await VolunteeringQueries.volunteers(matching: q, page: page, scope: req.scope, on: req.db)
        return try await req.page("volunteering/volunteers", title: "志愿者", VolunteersPage(found, q: q, page: page))
    }

    private func volunteerPage(_ req: Request, id: Int, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let found = try await VolunteeringQueries.volunteer(id, scope: req.scope, on: req.db)
        return try await req.page("volunteering/volunteer", title: found.volunteer.name, VolunteerPage(found, form: state), status: status)
    }

    @Sendable func volunteer(req: Request) async throws -> Response {
        try await volunteerPage(req, id: try req.id(), FormState(), status: .ok)
    }

    @Sendable func issueCertificate(req: Request) async throws -> Response {
        let id = try req.id()
        _ = try await VolunteeringQueries.reachableVolunteer(id, scope: req.scope, on: req.db)
        let (input, state) = try req.validated(VolunteerCertificateForm.self)
        return try await req.submit(state, back: { (certificate: VolunteerCertificate) in VolunteeringRoute.certificate(.value(certificate.id ?? 0)).url },
                                    flash: { (certificate: VolunteerCertificate) in "已出具证明 \(certificate.number)" },
                                    page: { try await volunteerPage(req, id: id, $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await Certificates.issue(to: id, input, change, on: db)
        }
    }

    // MARK: 每人认一岗，至少做一次

    @Sendable func coverage(req: Request) async throws -> Response {
        let unit = try await req.chosenUnit()
        let year = (try? req.query.get(Int.self, at: "year")).flatMap { (2000...2100).contains($0) ? $0 : nil } ?? req.today.year
        let listing = (try? req.query.get(String.self, at: "list")).flatMap(VolunteerQueries.Coverage.init(rawValue:)) ?? .served
        let page = Pagination.requestedPage(req)
        let report = try await VolunteeringQueries.coverage(of: unit, year: year, listing: listing, page: page, scope: req.scope, on: req.db)
        return try await req.page("volunteering/coverage", title: "每人认一岗", PostCoveragePage(report, page: page))
    }
}
