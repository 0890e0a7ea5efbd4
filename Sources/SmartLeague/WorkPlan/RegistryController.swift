import Fluent
import LeagueCore
import Vapor

/// The two registries whose rows are the live actuals of the plan's targets: 青创农场 and 见习.
struct RegistryController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("farms", use: farms)
        routes.post("farms", use: addFarm)
        routes.get("internships", use: internships)
        routes.post("internships", use: addInternship)
    }

    struct FarmRow: Encodable {
        let name: String
        let operatorName: String
        let level: String
        let year: Int
        let helped: Int
        let unitName: String
    }

    struct FarmsPage: Encodable {
        let rows: [FarmRow]
        let hasRows: Bool
        let form: FormState
    }

    private func farmsPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let farms = try await req.scope.query(YouthFarm.self, on: req.db).sort(\.$year, .descending).sort(\.$id, .descending)
            .range(0..<500).all()
        let names = try await req.scope.unitNames(farms.map(\.unitID), on: req.db)
        let rows = farms.map { FarmRow(name: $0.name, operatorName: $0.operatorName, level: $0.level, year: $0.year,
                                       helped: $0.farmersHelped, unitName: names[$0.unitID] ?? "") }
        return try await req.page("workplan/farms", title: "青创农场", FarmsPage(rows: rows, hasRows: !rows.isEmpty, form: state), status: status)
    }

    @Sendable func farms(req: Request) async throws -> Response {
        try await farmsPage(req, FormState(values: ["year": String(req.today.year), "level": "区级"]), status: .ok)
    }

    @Sendable func addFarm(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let name = state.check("name") { try FormField.requiredText(form["name"], label: "农场名称", min: 2, max: 60) }
        let operatorName = state.check("operatorName") { try FormField.requiredText(form["operatorName"], label: "经营者", max: 30) }
        let unit = state.check("unit") { try FormField.requiredText(form["unit"], label: "所属单位（代码或全称）", max: 60) }
        let level = form["level"] == "市级" ? "市级" : "区级"
        let year = state.check("year") { try FormField.year(form["year"]) }
        let helped = Int(form["helped"] ?? "0").flatMap { $0 >= 0 && $0 <= 1_000_000 ? $0 : nil }
        if helped == nil { state.errors["helped"] = "帮扶人数须为非负整数" }
        let change = req.changeContext
        return try await req.submit(state, write: { db in
            try await TargetWrites.addFarm(name: name!, operatorName: operatorName!, unit: unit!, level: level, year: year!,
                                           helped: helped!, change, on: db)
        }, then: { _ in
            try await req.redirect(to: "/farms", flash: "已登记青创农场「\(name!)」。")
        }, otherwise: { state in
            try await farmsPage(req, state, status: .unprocessableEntity)
        })
    }

    struct InternshipRow: Encodable {
        let base: String
        let post: String
        let intern: String
        let period: String
        let unitName: String
    }

    struct InternshipsPage: Encodable {
        let rows: [InternshipRow]
        let hasRows: Bool
        let form: FormState
    }

    private func internshipsPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let placements = try await req.scope.query(Internship.self, on: req.db).sort(\.$startsOn, .descending)
            .range(0..<500).all()
        let names = try await req.scope.unitNames(placements.map(\.unitID), on: req.db)
        let rows = placements.map { InternshipRow(base: $0.base, post: $0.post, intern: $0.intern,
                                                  period: "\($0.startsOn) 至 \($0.endsOn)", unitName: names[$0.unitID] ?? "") }
        return try await req.page("workplan/internships", title: "见习", InternshipsPage(rows: rows, hasRows: !rows.isEmpty, form: state),
                                  status: status)
    }

    @Sendable func internships(req: Request) async throws -> Response {
        try await internshipsPage(req, FormState(), status: .ok)
    }

    @Sendable func addInternship(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let base = state.check("base") { try FormField.requiredText(form["base"], label: "见习基地", min: 2, max: 60) }
        let post = state.check("post") { try FormField.requiredText(form["post"], label: "见习岗位", max: 30) }
        let intern = state.check("intern") { try FormField.requiredText(form["intern"], label: "见习人员", min: 2, max: 30) }
        let unit = state.check("unit") { try FormField.requiredText(form["unit"], label: "所属单位（代码或全称）", max: 60) }
        let starts = state.check("startsOn") { try FormField.date(form["startsOn"], label: "开始日期", required: true) } ?? nil
        let ends = state.check("endsOn") { try FormField.date(form["endsOn"], label: "结束日期", required: true) } ?? nil
        let change = req.changeContext
        return try await req.submit(state, write: { db in
            try await TargetWrites.addInternship(base: base!, post: post!, intern: intern!, unit: unit!, starts: starts!, ends: ends!,
                                                 change, on: db)
        }, then: { _ in
            try await req.redirect(to: "/internships", flash: "已登记见习：\(intern!)。")
        }, otherwise: { state in
            try await internshipsPage(req, state, status: .unprocessableEntity)
        })
    }
}
