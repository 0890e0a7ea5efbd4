import Fluent
import LeagueCore
import Vapor

/// Cadres of a unit, the 专挂兼 mix and front-line share below it, and overdue elections.
struct CadreController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("cadres", use: index)
        routes.post("cadres", use: add)
        routes.post("cadres", ":id", "leave", use: leave)
    }

    struct CadreRow: Encodable {
        let id: Int
        let name: String
        let post: String
        let mode: String
        let termStart: String
        let frontLine: Bool
    }

    struct MixRow: Encodable {
        let label: String
        let count: Int
        let percent: Int
        let width: Int
    }

    struct OverdueRow: Encodable {
        let id: Int
        let name: String
        let type: String
        let termStart: String
        let years: Int
    }

    struct Page: Encodable {
        let unitID: Int
        let unitName: String
        let cadres: [CadreRow]
        let hasCadres: Bool
        let total: Int
        let mix: [MixRow]
        let frontLine: Int
        let frontLinePercent: Int
        let overdue: [OverdueRow]
        let hasOverdue: Bool
        let posts: [Choice]
        let modes: [Choice]
        let form: FormState
    }

    private func page(_ req: Request, unitID: Int?, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let actor = try req.requireActor()
        let unit = try await req.scope.organization(unitID ?? actor.unitID, on: req.db)
        let today = req.today
        let serving = try await Scope(reach: .subtree(unit.path)).within(req.scope.query(Cadre.self, on: req.db), \Cadre.$unitPath)
            .filter(\.$leftOn == nil).all()
        let own = serving.filter { $0.unitID == unit.id }.sorted { ($0.post.rawValue, $0.name) < ($1.post.rawValue, $1.name) }
        let counts = Dictionary(grouping: serving, by: \.mode).mapValues(\.count)
        let frontLine = serving.filter(\.frontLine).count
        // A committee's term runs from its latest election: the latest term start among those serving.
        let termStarts = Dictionary(serving.map { ($0.unitID, $0.termStart) }, uniquingKeysWith: max)
        let units = try await req.scope.organizations(on: req.db).filter(\.$id ~~ Array(termStarts.keys)).filter(\.$status == .active).all()
        let overdue = units.compactMap { unit -> OverdueRow? in
            guard let start = termStarts[unit.id!].flatMap(CalendarDate.init),
                  CadreTerms.electionOverdue(type: unit.type, termStart: start, today: today) else { return nil }
            return OverdueRow(id: unit.id!, name: unit.name, type: unit.type.label, termStart: start.description,
                              years: CadreTerms.longestTerm(of: unit.type))
        }.sorted { $0.termStart < $1.termStart }
        return try await req.page("orglife/cadres", title: "团干部", Page(
            unitID: unit.id!, unitName: unit.name,
            cadres: own.map { CadreRow(id: $0.id!, name: $0.name, post: $0.post.label, mode: $0.mode.label, termStart: $0.termStart,
                                       frontLine: $0.frontLine) },
            hasCadres: !own.isEmpty, total: serving.count,
            mix: CadreMode.allCases.map { mode in
                let count = counts[mode] ?? 0
                return MixRow(label: mode.label, count: count, percent: percentShare(count, of: serving.count),
                              width: percentShare(count, of: serving.count) * 3)
            },
            frontLine: frontLine, frontLinePercent: percentShare(frontLine, of: serving.count),
            overdue: overdue, hasOverdue: !overdue.isEmpty,
            posts: CadrePost.allCases.map { .init(value: $0.rawValue, label: $0.label) },
            modes: CadreMode.allCases.map { .init(value: $0.rawValue, label: $0.label) }, form: form), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await page(req, unitID: try? req.query.get(Int.self, at: "unit"), form: FormState(), status: .ok)
    }

    @Sendable func add(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let unitID = Int(form["unit"] ?? "")
        let name = state.check("name") { try FormField.requiredText(form["name"], label: "姓名", min: 2, max: 30) }
        let post = CadrePost(rawValue: form["post"] ?? "")
        if post == nil { state.errors["post"] = "请选择职务" }
        let mode = CadreMode(rawValue: form["mode"] ?? "")
        if mode == nil { state.errors["mode"] = "请选择专职、挂职或兼职" }
        let start = state.check("termStart") { try FormField.date(form["termStart"], label: "任期开始", required: true) } ?? nil
        let change = req.changeContext
        let today = req.today
        return try await req.submit(state, write: { db in
            try await CadreWrites.add(to: unitID ?? -1, .init(name: name!, post: post!, mode: mode!, termStart: start!,
                                                               frontLine: form["frontLine"] == "1"), today: today, change, on: db)
        }, then: { cadre in
            try await req.redirect(to: "/cadres?unit=\(cadre.unitID)", flash: "已登记\(cadre.post.label)\(cadre.name)。")
        }, otherwise: { state in
            try await page(req, unitID: unitID, form: state, status: .unprocessableEntity)
        })
    }

    @Sendable func leave(req: Request) async throws -> Response {
        let id = try req.id()
        let change = req.changeContext
        let today = req.today
        return try await req.submit(FormState(), write: { db in
            try await CadreWrites.leave(id, on: today, change, on: db)
        }, then: { cadre in
            try await req.redirect(to: "/cadres?unit=\(cadre.unitID)", flash: "\(cadre.name)已离任。")
        }, otherwise: { state in
            throw Abort(.unprocessableEntity, reason: state.errors["_form"] ?? "无法办理离任")
        })
    }
}
