import Fluent
import LeagueCore
import Vapor

/// The two registries whose rows are the live actuals of the plan's targets: 青创农场 and 见习.
struct RegistryController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(RegistryRoute.farms, use: farms)
        routes.post(RegistryRoute.addFarm, use: addFarm)
        routes.get(RegistryRoute.internships, use: internships)
        routes.post(RegistryRoute.addInternship, use: addInternship)
    }

    private func farmsPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let farms = try await WorkPlanQueries.farms(page: Pagination.requestedPage(req), scope: req.scope, on: req.db)
        return try await req.page("workplan/farms", title: "青创农场", FarmListPage(farms, form: state), status: status)
    }

    @Sendable func farms(req: Request) async throws -> Response {
        try await farmsPage(req, FormState(values: ["year": String(req.today.year), "level": "区级"]), status: .ok)
    }

    @Sendable func addFarm(req: Request) async throws -> Response {
        let (input, state) = try req.validated(FarmForm.self)
        return try await req.submit(state, back: { _ in RegistryRoute.farms.url }, flash: { (name: String) in "已登记青创农场「\(name)」。" },
                                    page: { state in try await farmsPage(req, state, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            try await TargetWrites.addFarm(input, change, on: db)
            return input.name
        }
    }

    private func internshipsPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let placements = try await WorkPlanQueries.internships(page: Pagination.requestedPage(req), scope: req.scope, on: req.db)
        return try await req.page("workplan/internships", title: "见习", InternshipListPage(placements, form: state), status: status)
    }

    @Sendable func internships(req: Request) async throws -> Response {
        try await internshipsPage(req, FormState(), status: .ok)
    }

    @Sendable func addInternship(req: Request) async throws -> Response {
        let (input, state) = try req.validated(InternshipForm.self)
        return try await req.submit(state, back: { _ in RegistryRoute.internships.url }, flash: { (intern: String) in "已登记见习：\(intern)。" },
                                    page: { state in try await internshipsPage(req, state, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            try await TargetWrites.addInternship(input, change, on: db)
            return input.intern
        }
    }
}
