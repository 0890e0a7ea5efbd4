import Fluent
import LeagueCore
import Vapor

/// A unit's page and the forms that change the tree: create a child, complete details, rename,
/// move, dissolve, merge.
struct OrganizationController: RouteCollection {
    static let pageSize = 50

    func boot(routes: any RoutesBuilder) throws {
        let unit = routes.grouped("units", ":id")
        unit.get(use: show)
        unit.get("children", "new", use: newChild)
        unit.post("children", use: createChild)
        unit.get("edit", use: edit)
        unit.post("edit", use: update)
        unit.get("rename", use: renameForm)
        unit.post("rename", use: rename)
        unit.get("move", use: moveForm)
        unit.post("move", use: move)
        unit.get("dissolve", use: dissolveForm)
        unit.post("dissolve", use: dissolve)
        unit.get("merge", use: mergeForm)
        unit.post("merge", use: merge)
    }

    // MARK: The unit's page

    struct UnitView: Encodable {
        let id: Int
        let code: String
        let name: String
        let shortName: String
        let typeLabel: String
        let isBranch: Bool
        let isActive: Bool
        let contactPerson: String?
        let contactPhone: String?
        let address: String?
        let establishedOn: String?
        let graduationDate: String?
        let summary: String?

        init(_ unit: Organization) {
            id = unit.id!
            code = unit.code
            name = unit.name
            shortName = unit.shortName
            typeLabel = unit.type.label
            isBranch = unit.type.isBranch
            isActive = unit.isActive
            contactPerson = unit.contactPerson
            contactPhone = unit.contactPhone
            address = unit.address
            establishedOn = unit.establishedOn
            graduationDate = unit.graduationDate
            summary = unit.summary
        }
    }

    struct Crumb: Encodable {
        let id: Int
        let name: String
    }

    struct ChildView: Encodable {
        let id: Int
        let code: String
        let name: String
        let shortName: String
        let typeLabel: String
        let childCount: Int
    }

    struct CountView: Encodable {
        let label: String
        let count: Int
    }

    /// What the caller may do here; the writes check the same rules again.
    struct Permissions: Encodable {
        let createChild: Bool
        let renameDirectly: Bool
        let moveOrDissolve: Bool
        let merge: Bool
    }

    struct ShowPage: Encodable {
        let unit: UnitView
        let breadcrumb: [Crumb]
        let children: [ChildView]
        let pagination: Pagination
        let q: String
        let counts: [CountView]
        let administrators: Int
        let members: Int
        let memberTotal: Int
        let requests: [ChangeRequestController.RequestView]
        let hasRequests: Bool
        let can: Permissions
    }

    @Sendable func show(req: Request) async throws -> Response {
        let scope = req.scope
        let unit = try await scope.organization(try req.id(), on: req.db)
        let q = String(((try? req.query.get(String.self, at: "q")) ?? "").prefix(60)).trimmingCharacters(in: .whitespaces)
        let requested = Pagination.requestedPage(req)
        let firstTry = try await OrganizationQueries.children(
            of: unit.id!, scope: scope, nameContains: q, limit: Self.pageSize,
            offset: (max(1, requested) - 1) * Self.pageSize, on: req.db)
        let pagination = Pagination(page: requested, pageSize: Self.pageSize, total: firstTry.total, keep: ["q": q])
        // A page number past the end shows the last page instead of an empty list.
        let rows = pagination.page == max(1, requested) ? firstTry.rows : try await OrganizationQueries.children(
            of: unit.id!, scope: scope, nameContains: q, limit: Self.pageSize, offset: pagination.offset, on: req.db).rows
        let breadcrumb = try await OrganizationQueries.ancestors(of: unit, scope: scope, on: req.db)
        let counts = try await OrganizationQueries.countsByType(under: unit.path, scope: scope, on: req.db)
        let accounts = try await OrganizationQueries.accountCounts(of: unit.id!, scope: scope, on: req.db)
        let requests = try await ChangeRequests.list(scope: scope, unitID: unit.id!, pendingOnly: false, limit: 10, on: req.db)
        let memberTotal = try await MemberStats.counts(units: [unit.id!], scope: scope, on: req.db)[unit.id!]?[.total]?[""] ?? 0
        let strictlyAbove = scope.isStrictlyAbove(unit)
        let page = ShowPage(
            unit: UnitView(unit),
            breadcrumb: breadcrumb.map { Crumb(id: $0.id!, name: $0.name) },
            children: rows.map { ChildView(id: $0.id, code: $0.code, name: $0.name, shortName: $0.short_name,
                                           typeLabel: $0.type.label, childCount: $0.child_count) },
            pagination: pagination, q: q,
            counts: counts.map { CountView(label: $0.type.label, count: $0.count) },
            administrators: accounts.administrators, members: accounts.members, memberTotal: memberTotal,
            requests: requests.map { ChangeRequestController.RequestView($0, scope: scope) },
            hasRequests: !requests.isEmpty,
            can: Permissions(createChild: unit.isActive && !unit.type.isBranch,
                             renameDirectly: strictlyAbove,
                             moveOrDissolve: unit.isActive && strictlyAbove,
                             merge: unit.isActive && strictlyAbove && unit.type.isBranch))
        return try await req.page("organizations/show", title: unit.name, page)
    }

    // MARK: Creating a child

    struct ChildForm: Encodable {
        let parent: UnitView
        let types: [Choice]
        let form: FormState
    }

    @Sendable func newChild(req: Request) async throws -> Response {
        let parent = try await req.scope.activeOrganization(try req.id(), on: req.db)
        return try await childForm(req, parent: parent, state: FormState(), status: .ok)
    }

    private func childForm(_ req: Request, parent: Organization, state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let types = parent.type.allowedChildTypes.map { Choice(value: $0.rawValue, label: $0.label) }
        return try await req.page("organizations/new_child", title: "设立下级组织",
                                  ChildForm(parent: UnitView(parent), types: types, form: state), status: status)
    }

    @Sendable func createChild(req: Request) async throws -> Response {
        let parent = try await req.scope.activeOrganization(try req.id(), on: req.db)
        let form = try req.form()
        var state = FormState(values: form)
        let name = state.check("name") { try FormField.requiredText(form["name"], label: "组织全称", min: 2, max: 60) }
        let shortName = state.check("shortName") { try FormField.requiredText(form["shortName"], label: "简称", max: 20) }
        let type = OrganizationType(input: form["type"] ?? "")
        if type == nil { state.errors["type"] = "请选择组织类型" }
        let change = req.changeContext
        let parentID = parent.id!
        return try await req.submit(state, write: { db in
            try await OrganizationWrites.createChild(
                of: parentID, .init(name: name!, shortName: shortName!, type: type!), change, on: db)
        }, then: { unit in
            try await req.redirect(to: "/units/\(unit.id!)", flash: "已设立「\(unit.name)」，组织代码 \(unit.code)。")
        }, otherwise: { state in
            try await childForm(req, parent: parent, state: state, status: .unprocessableEntity)
        })
    }

    // MARK: Details

    struct EditPage: Encodable {
        let unit: UnitView
        let canMarkGraduation: Bool
        let form: FormState
    }

    private func detailValues(_ unit: Organization) -> [String: String] {
        ["contactPerson": unit.contactPerson ?? "", "contactPhone": unit.contactPhone ?? "", "address": unit.address ?? "",
         "establishedOn": unit.establishedOn ?? "", "summary": unit.summary ?? "", "graduationDate": unit.graduationDate ?? ""]
    }

    private func canMarkGraduation(_ unit: Organization, scope: Scope) -> Bool {
        unit.type.isBranch && scope.isStrictlyAbove(unit)
    }

    @Sendable func edit(req: Request) async throws -> Response {
        let unit = try await req.scope.activeOrganization(try req.id(), on: req.db)
        return try await req.page("organizations/edit", title: "完善组织信息",
                                  EditPage(unit: UnitView(unit), canMarkGraduation: canMarkGraduation(unit, scope: req.scope),
                                           form: FormState(values: detailValues(unit))))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let unit = try await req.scope.activeOrganization(try req.id(), on: req.db)
        let form = try req.form()
        var state = FormState(values: form)
        let person = state.check("contactPerson") { try FormField.text(form["contactPerson"], label: "联系人", required: false, max: 30) }
        let phone = state.check("contactPhone") { try FormField.phone(form["contactPhone"]) }
        let address = state.check("address") { try FormField.text(form["address"], label: "地址", required: false, max: 120) }
        let established = state.check("establishedOn") { try FormField.date(form["establishedOn"], label: "成立日期") }
        let summary = state.check("summary") { try FormField.text(form["summary"], label: "简介", required: false, max: 1000) }
        let markable = canMarkGraduation(unit, scope: req.scope)
        let graduation = markable ? state.check("graduationDate") { try FormField.date(form["graduationDate"], label: "毕业日期") } : nil
        if let established = established ?? nil, established > req.today {
            state.errors["establishedOn"] = "成立日期不能晚于今天"
        }
        let details = UnitEdits.Details(
            contactPerson: person ?? nil, contactPhone: phone ?? nil, address: address ?? nil,
            establishedOn: established ?? nil, summary: summary ?? nil,
            graduationDate: markable ? .some(graduation ?? nil) : nil)
        let change = req.changeContext
        let id = unit.id!
        return try await req.submit(state, write: { db in
            try await UnitEdits.updateDetails(of: id, details, change, on: db)
        }, then: { _ in
            try await req.redirect(to: "/units/\(id)", flash: "组织信息已保存。")
        }, otherwise: { state in
            try await req.page("organizations/edit", title: "完善组织信息",
                               EditPage(unit: UnitView(unit), canMarkGraduation: markable, form: state), status: .unprocessableEntity)
        })
    }

    // MARK: Rename

    struct RenamePage: Encodable {
        let unit: UnitView
        let direct: Bool
        let form: FormState
    }

    @Sendable func renameForm(req: Request) async throws -> Response {
        let unit = try await req.scope.activeOrganization(try req.id(), on: req.db)
        return try await req.page("organizations/rename", title: "组织更名",
                                  RenamePage(unit: UnitView(unit), direct: req.scope.isStrictlyAbove(unit),
                                             form: FormState(values: ["name": unit.name, "shortName": unit.shortName])))
    }

    @Sendable func rename(req: Request) async throws -> Response {
        let unit = try await req.scope.activeOrganization(try req.id(), on: req.db)
        let form = try req.form()
        var state = FormState(values: form)
        let name = state.check("name") { try FormField.requiredText(form["name"], label: "组织全称", min: 2, max: 60) }
        let shortName = state.check("shortName") { try FormField.requiredText(form["shortName"], label: "简称", max: 20) }
        if name == unit.name && shortName == unit.shortName { state.errors["name"] = "名称没有变化" }
        let direct = req.scope.isStrictlyAbove(unit)
        if !direct && unit.parentID == nil { state.errors["_form"] = "最高一级组织的名称只能在系统中直接维护" }
        let change = req.changeContext
        let id = unit.id!
        return try await req.submit(state, write: { db in
            let fresh = try await change.scope.activeOrganization(id, on: db)
            if direct {
                try await UnitEdits.rename(fresh, name: name!, shortName: shortName!, change, on: db)
            } else {
                _ = try await ChangeRequests.requestRename(fresh, name: name!, shortName: shortName!, change, on: db)
            }
        }, then: { _ in
            try await req.redirect(to: "/units/\(id)", flash: direct ? "名称已修改。" : "更名申请已提交，待上级组织审批。")
        }, otherwise: { state in
            try await req.page("organizations/rename", title: "组织更名",
                               RenamePage(unit: UnitView(unit), direct: direct, form: state), status: .unprocessableEntity)
        })
    }

    // MARK: Move

    struct MovePage: Encodable {
        let unit: UnitView
        let form: FormState
    }

    @Sendable func moveForm(req: Request) async throws -> Response {
        let unit = try await req.scope.activeOrganization(try req.id(), on: req.db)
        return try await req.page("organizations/move", title: "变更上级组织", MovePage(unit: UnitView(unit), form: FormState()))
    }

    @Sendable func move(req: Request) async throws -> Response {
        let unit = try await req.scope.activeOrganization(try req.id(), on: req.db)
        let form = try req.form()
        var state = FormState(values: form)
        let key = state.check("target") { try FormField.requiredText(form["target"], label: "新上级组织的代码或全称", max: 60) }
        var targetID: Int?
        if let key { targetID = try await req.scope.activeOrganization(codeOrName: key, on: req.db)?.id }
        let change = req.changeContext
        let id = unit.id!
        return try await req.submit(state, write: { [targetID] db in
            try await ChangeRequests.requestMove(id, to: targetID, change, on: db)
        }, then: { _ in
            try await req.redirect(to: "/units/\(id)", flash: "变更上级组织的申请已提交：须原上级组织、新上级组织依次审批。")
        }, otherwise: { state in
            try await req.page("organizations/move", title: "变更上级组织", MovePage(unit: UnitView(unit), form: state),
                               status: .unprocessableEntity)
        })
    }

    // MARK: Dissolve

    struct DissolvePage: Encodable {
        let unit: UnitView
        /// What still sits in the unit ("2 个下级组织", "3 名团员"); empty when it may be dissolved.
        let contents: [String]
        let isEmpty: Bool
        let form: FormState

        init(unit: Organization, contents: [String], form: FormState) {
            self.unit = UnitView(unit)
            self.contents = contents
            isEmpty = contents.isEmpty
            self.form = form
        }
    }

    @Sendable func dissolveForm(req: Request) async throws -> Response {
        let unit = try await req.scope.activeOrganization(try req.id(), on: req.db)
        return try await req.page("organizations/dissolve", title: "撤销组织",
                                  DissolvePage(unit: unit, contents: try await OrganizationWrites.contents(of: unit, on: req.db), form: FormState()))
    }

    @Sendable func dissolve(req: Request) async throws -> Response {
        let unit = try await req.scope.activeOrganization(try req.id(), on: req.db)
        let form = try req.form()
        var state = FormState(values: form)
        if form["confirm"] != unit.name { state.errors["confirm"] = "请输入组织全称以确认撤销" }
        let change = req.changeContext
        let id = unit.id!, parentID = unit.parentID
        return try await req.submit(state, write: { db in
            try await OrganizationWrites.dissolve(id, change, on: db)
        }, then: { _ in
            try await req.redirect(to: parentID.map { "/units/\($0)" } ?? "/", flash: "已撤销「\(unit.name)」。")
        }, otherwise: { state in
            return try await req.page("organizations/dissolve", title: "撤销组织",
                                      DissolvePage(unit: unit, contents: try await OrganizationWrites.contents(of: unit, on: req.db), form: state),
                                      status: .unprocessableEntity)
        })
    }

    // MARK: Merge

    struct MergePage: Encodable {
        let unit: UnitView
        let siblings: [ChildView]
        let form: FormState
    }

    private func mergePage(_ req: Request, unit: Organization, state: FormState, status: HTTPResponseStatus) async throws -> Response {
        var siblings: [OrganizationQueries.ChildRow] = []
        if let parentID = unit.parentID {
            siblings = try await OrganizationQueries.children(of: parentID, scope: req.scope, nameContains: nil,
                                                              limit: 500, offset: 0, on: req.db).rows
        }
        let branches = siblings.filter { $0.type.isBranch && $0.id != unit.id }
            .map { ChildView(id: $0.id, code: $0.code, name: $0.name, shortName: $0.short_name, typeLabel: $0.type.label, childCount: 0) }
        return try await req.page("organizations/merge", title: "合并团支部",
                                  MergePage(unit: UnitView(unit), siblings: branches, form: state), status: status)
    }

    @Sendable func mergeForm(req: Request) async throws -> Response {
        let unit = try await req.scope.activeOrganization(try req.id(), on: req.db)
        return try await mergePage(req, unit: unit, state: FormState(), status: .ok)
    }

    @Sendable func merge(req: Request) async throws -> Response {
        let unit = try await req.scope.activeOrganization(try req.id(), on: req.db)
        let form = try req.form()
        var state = FormState(values: form)
        let key = state.check("target") { try FormField.requiredText(form["target"], label: "并入的团支部（代码或全称）", max: 60) }
        var targetID = -1
        if let key, let target = try await req.scope.activeOrganization(codeOrName: key, on: req.db) { targetID = target.id! }
        let change = req.changeContext
        let id = unit.id!
        return try await req.submit(state, write: { [targetID] db in
            (try await OrganizationWrites.merge(id, into: targetID, change, on: db), targetID)
        }, then: { result in
            try await req.redirect(to: "/units/\(result.1)", flash: "「\(unit.name)」已并入本支部" + (result.0.isEmpty ? "。" : "，转入 \(result.0.joined(separator: "、"))。"))
        }, otherwise: { state in
            try await mergePage(req, unit: unit, state: state, status: .unprocessableEntity)
        })
    }
}
