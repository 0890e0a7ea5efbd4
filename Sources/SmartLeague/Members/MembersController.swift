import Fluent
import LeagueCore
import Vapor

/// The member registry pages: search, record, register, edit, reveal an ID number, export.
struct MembersController: RouteCollection {
    static let pageSize = 50

    /// The lists of the member forms, by the name other parts' forms know them.
    typealias Choices = MemberChoices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(MemberRoute.index, use: index)
        routes.get(MemberRoute.export, use: export)
        routes.get(MemberRoute.new, use: new)
        routes.post(MemberRoute.create, use: create)
        routes.get(MemberRoute.show(.key), use: show)
        routes.get(MemberRoute.edit(.key), use: edit)
        routes.post(MemberRoute.update(.key), use: update)
        routes.post(MemberRoute.reveal(.key), use: reveal)
    }

    // MARK: Search

    /// The search in the address as a filter; a wrong field gets its message and matches nothing.
    private func search(_ req: Request) async throws -> (filter: MemberQueries.Filter?, form: FormState, overage: Bool) {
        let (input, typed) = try req.validatedQuery(MemberSearchForm.self)
        var state = typed
        var filter: MemberQueries.Filter?
        if let input {
            let vault = req.application.vault
            filter = try await state.lookUp { try await MemberQueries.filter(input, scope: req.scope, vault: vault, on: req.db) }
        }
        return (filter, state, state.values["overage"] == "1")
    }

    @Sendable func index(req: Request) async throws -> Response {
        let (filter, state, overage) = try await search(req)
        let today = req.today
        let typed = state.values.filter { !["page", "after", "before"].contains($0.key) }
        guard let filter else {
            let page = MemberListPage([], pagination: Pagination(page: 1, pageSize: Self.pageSize, total: 0), form: state, search: typed,
                                      overage: overage, today: today)
            return try await req.page("members/index", title: "团员查询", page, status: .unprocessableEntity)
        }
        let unitSize = try await MemberQueries.unitSize(filter, scope: req.scope, on: req.db)
        let total = try await MemberQueries.total(filter, unitSize: unitSize, scope: req.scope, today: today, on: req.db)
        let requested = Pagination.requestedPage(req)
        let numbered = Pagination(page: requested, pageSize: Self.pageSize, total: total, keep: typed)
        // The previous and next links start their page at this page's first and last member.
        let cursor = MemberQueries.Cursor(after: state.values["after"], before: state.values["before"])
        let rows = try await MemberQueries.rows(filter, scope: req.scope, today: today, limit: Self.pageSize, offset: numbered.offset,
                                                cursor: numbered.page == requested ? cursor : nil, unitSize: unitSize, on: req.db)
        let pagination = Pagination(page: requested, pageSize: Self.pageSize, total: total, keep: typed,
                                    previous: numbered.page > 2 ? rows.first.map { ["before": String($0.id)] } ?? [:] : [:],
                                    next: rows.last.map { ["after": String($0.id)] } ?? [:])
        let page = MemberListPage(rows, pagination: pagination, form: state, search: typed, overage: overage, today: today)
        return try await req.page("members/index", title: page.title, page)
    }

    /// The same search as a CSV file that Excel opens in Chinese, masked, streamed page by page.
    @Sendable func export(req: Request) async throws -> Response {
        guard let filter = try await search(req).filter else { throw Abort(.badRequest, reason: "查询条件有误，请返回修改后再导出") }
        let actor = try req.requireActor()
        let today = req.today
        let scope = req.scope
        let db = req.db
        let change = req.changeContext
        try await req.application.writer.write(req.db) { db in
            try await MemberWrites.recordExport(in: AuditUnit(id: actor.unitID, path: actor.unitPath), change, on: db)
        }
        let response = Response(status: .ok, body: .init(asyncStream: { writer in
            do {
                try await writer.write(.buffer(ByteBuffer(string: CSV.byteOrderMark + CSV.line(MemberListPage.csvHeaders))))
                // Each chunk starts after the last member of the one before (not at an offset, which
                // would read every row before it again: a city's export read its list 500 times over).
                let unitSize = try await MemberQueries.unitSize(filter, scope: scope, on: db)
                var cursor: MemberQueries.Cursor?
                while true {
                    let rows = try await MemberQueries.rows(filter, scope: scope, today: today, limit: 2000, offset: 0, cursor: cursor,
                                                            unitSize: unitSize, on: db)
                    let chunk = rows.map { MemberListPage.csvLine($0, today: today) }.joined()
                    if !chunk.isEmpty { try await writer.write(.buffer(ByteBuffer(string: chunk))) }
                    guard rows.count == 2000, let last = rows.last else { break }
                    cursor = .afterRow(value: MemberQueries.sortValue(of: last, filter.sort), id: last.id)
                }
                try await writer.write(.end)
            } catch {
                try? await writer.write(.error(error))
            }
        }))
        response.markAsCSV(fileName: "members.csv", chineseName: "团员名单.csv")
        return response
    }

    // MARK: One record

    private func showPage(_ req: Request, _ member: Member, fullID: String?) async throws -> Response {
        let detail = try await MemberQueries.detail(member, scope: req.scope, on: req.db)
        return try await req.page("members/show", title: member.name, MemberPage(detail, today: req.today, fullID: fullID))
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await showPage(req, try await req.scope.member(try req.id(), on: req.db), fullID: nil)
    }

    @Sendable func reveal(req: Request) async throws -> Response {
        let id = try req.id()
        let change = req.changeContext
        let vault = req.application.vault
        let (member, number) = try await req.application.writer.write(req.db) { db in
            try await MemberWrites.reveal(id, vault: vault, change, on: db)
        }
        return try await showPage(req, member, fullID: number)
    }

    // MARK: Register and edit

    private func formPage(_ req: Request, memberID: Int?, _ form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let page = MemberFormPage(memberID: memberID, form: form)
        return try await req.page("members/form", title: page.title, page, status: status)
    }

    @Sendable func new(req: Request) async throws -> Response {
        var branchCode: String?
        if let id = try? req.query.get(Int.self, at: "branch") { branchCode = try? await req.scope.activeOrganization(id, on: req.db).code }
        return try await formPage(req, memberID: nil, MemberFormPage.blank(branchCode: branchCode))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (input, state) = try req.validated(MemberForm.self)
        let vault = req.application.vault
        return try await req.submit(state, back: { (member: Member) in MemberRoute.show(.value(member.id ?? 0)).url },
                                    flash: { member in "已登记团员 \(member.name)。" }, page: { state in
            try await formPage(req, memberID: nil, state, status: .unprocessableEntity)
        }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await MemberWrites.register(input, vault: vault, change, on: db)
        }
    }

    @Sendable func edit(req: Request) async throws -> Response {
        let member = try await req.scope.member(try req.id(), on: req.db)
        let branch = try await req.scope.organization(member.branchID, on: req.db)
        return try await formPage(req, memberID: member.id, MemberFormPage.values(of: member, branchCode: branch.code))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let member = try await req.scope.member(try req.id(), on: req.db)
        let id = try req.id()
        let vault = req.application.vault
        let (form, typed) = try req.decode(MemberForm.self)
        var state = typed
        let input = form.keepingResidentID(try vault.open(member.idSealed)).validate(&state, today: req.today)
        // The stored number is never sent back to the browser.
        state.values["residentID"] = ""
        state.values["idMasked"] = member.idMasked
        return try await req.submit(state, back: { (member: Member) in MemberRoute.show(.value(member.id ?? 0)).url },
                                    flash: { _ in "团员信息已保存。" }, page: { state in
            try await formPage(req, memberID: id, state, status: .unprocessableEntity)
        }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await MemberWrites.correct(id, input, vault: vault, change, on: db)
        }
    }
}
