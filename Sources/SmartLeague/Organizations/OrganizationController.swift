import Fluent
import LeagueCore
import Vapor

/// A unit's page and the forms that change the tree: create a child, complete details, rename,
/// move, dissolve, merge.
struct OrganizationController: RouteCollection {
    static let pageSize = 50

    func boot(routes: any RoutesBuilder) throws {
        routes.get(UnitRoute.show(.key), use: show)
        routes.get(UnitRoute.newChild(.key), use: newChild)
        routes.post(UnitRoute.createChild(.key), use: createChild)
        routes.get(UnitRoute.edit(.key), use: edit)
        routes.post(UnitRoute.update(.key), use: update)
        routes.get(UnitRoute.renameForm(.key), use: renameForm)
        routes.post(UnitRoute.rename(.key), use: rename)
        routes.get(UnitRoute.moveForm(.key), use: moveForm)
        routes.post(UnitRoute.move(.key), use: move)
        routes.get(UnitRoute.dissolveForm(.key), use: dissolveForm)
        routes.post(UnitRoute.dissolve(.key), use: dissolve)
        routes.get(UnitRoute.mergeForm(.key), use: mergeForm)
        routes.post(UnitRoute.merge(.key), use: merge)
    }

    /// The unit the route names, in reach and not dissolved.
    private func activeUnit(_ req: Request) async throws -> Organization {
        try await req.scope.activeOrganization(try req.id(), on: req.db)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let unit = try await req.scope.organization(try req.id(), on: req.db)
        let q = String(((try? req.query.get(String.self, at: "q")) ?? "").prefix(60)).trimmingCharacters(in: .whitespaces)
        let overview = try await OrganizationQueries.overview(of: unit, nameContains: q, page: Pagination.requestedPage(req),
                                                              pageSize: Self.pageSize, scope: req.scope,
                                                              typeCounts: req.application.unitTypeCounts, on: req.db)
        return try await req.page("organizations/show", title: unit.name, UnitPage(overview, scope: req.scope))
    }

    // MARK: Creating a child

    @Sendable func newChild(req: Request) async throws -> Response {
        let parent = try await activeUnit(req)
        return try await req.page("organizations/new_child", title: "设立下级组织", NewChildPage(parent: parent, form: FormState()))
    }

    @Sendable func createChild(req: Request) async throws -> Response {
        let parent = try await activeUnit(req)
        let parentID = try req.id()
        let (input, state) = try req.validated(NewChildForm.self)
        return try await req.submit(state, back: { (unit: Organization) in UnitRoute.show(.value(unit.id ?? 0)).url },
                                    flash: { unit in "已设立「\(unit.name)」，组织代码 \(unit.code)。" }, page: { state in
            try await req.page("organizations/new_child", title: "设立下级组织", NewChildPage(parent: parent, form: state),
                               status: .unprocessableEntity)
        }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await OrganizationWrites.createChild(of: parentID, input, change, on: db)
        }
    }

    // MARK: Details

    @Sendable func edit(req: Request) async throws -> Response {
        let unit = try await activeUnit(req)
        return try await req.page("organizations/edit", title: "完善组织信息", UnitDetailsPage(unit, scope: req.scope, form: nil))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let unit = try await activeUnit(req)
        let id = try req.id()
        let (input, state) = try req.validated(UnitDetailsForm.self)
        return try await req.submit(state, back: { _ in UnitRoute.show(.value(id)).url }, flash: { _ in "组织信息已保存。" }, page: { state in
            try await req.page("organizations/edit", title: "完善组织信息", UnitDetailsPage(unit, scope: req.scope, form: state),
                               status: .unprocessableEntity)
        }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            try await UnitEdits.updateDetails(of: id, input, change, on: db)
        }
    }

    // MARK: Rename

    @Sendable func renameForm(req: Request) async throws -> Response {
        let unit = try await activeUnit(req)
        return try await req.page("organizations/rename", title: "组织更名", RenameUnitPage(unit, scope: req.scope, form: nil))
    }

    @Sendable func rename(req: Request) async throws -> Response {
        let unit = try await activeUnit(req)
        let id = try req.id()
        let (input, state) = try req.validated(RenameUnitForm.self)
        return try await req.submit(state, back: { _ in UnitRoute.show(.value(id)).url },
                                    flash: { direct in direct ? "名称已修改。" : "更名申请已提交，待上级组织审批。" }, page: { state in
            try await req.page("organizations/rename", title: "组织更名", RenameUnitPage(unit, scope: req.scope, form: state),
                               status: .unprocessableEntity)
        }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await UnitEdits.renameOrAsk(id, input, change, on: db)
        }
    }

    // MARK: Move

    @Sendable func moveForm(req: Request) async throws -> Response {
        let unit = try await activeUnit(req)
        return try await req.page("organizations/move", title: "变更上级组织", MoveUnitPage(unit, form: FormState()))
    }

    @Sendable func move(req: Request) async throws -> Response {
        let unit = try await activeUnit(req)
        let id = try req.id()
        let (target, state) = try req.validated(MoveUnitForm.self)
        return try await req.submit(state, back: { _ in UnitRoute.show(.value(id)).url },
                                    flash: { _ in "变更上级组织的申请已提交：须原上级组织、新上级组织依次审批。" }, page: { state in
            try await req.page("organizations/move", title: "变更上级组织", MoveUnitPage(unit, form: state), status: .unprocessableEntity)
        }) { db, change in
            guard let target else { throw Refusal("请检查填写的内容") }
            return try await ChangeRequests.requestMove(id, below: target, change, on: db)
        }
    }

    // MARK: Dissolve

    private func dissolvePage(_ req: Request, _ unit: Organization, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let contents = try await OrganizationWrites.contents(of: unit, on: req.db)
        return try await req.page("organizations/dissolve", title: "撤销组织", DissolveUnitPage(unit, contents: contents, form: form),
                                  status: status)
    }

    @Sendable func dissolveForm(req: Request) async throws -> Response {
        try await dissolvePage(req, try await activeUnit(req), form: FormState(), status: .ok)
    }

    @Sendable func dissolve(req: Request) async throws -> Response {
        let unit = try await activeUnit(req)
        let id = try req.id()
        let (input, state) = try req.validated(DissolveUnitForm.self)
        return try await req.submit(state, back: { (dissolved: Organization) in
            dissolved.parentID.map { UnitRoute.show(.value($0)).url } ?? HomeRoute.index.url
        }, flash: { dissolved in "已撤销「\(dissolved.name)」。" }, page: { state in
            try await dissolvePage(req, unit, form: state, status: .unprocessableEntity)
        }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await UnitEdits.dissolve(id, input, change, on: db)
        }
    }

    // MARK: Merge

    private func mergePage(_ req: Request, _ unit: Organization, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let siblings = try await OrganizationQueries.siblings(of: unit, scope: req.scope, on: req.db)
        return try await req.page("organizations/merge", title: "合并团支部", MergeUnitPage(unit, siblings: siblings, form: form), status: status)
    }

    @Sendable func mergeForm(req: Request) async throws -> Response {
        try await mergePage(req, try await activeUnit(req), form: FormState(), status: .ok)
    }

    @Sendable func merge(req: Request) async throws -> Response {
        let unit = try await activeUnit(req)
        let id = try req.id()
        let (target, state) = try req.validated(MergeUnitForm.self)
        return try await req.submit(state, back: { (merged: UnitEdits.Merged) in UnitRoute.show(.value(merged.targetID)).url }, flash: { merged in
            "「\(unit.name)」已并入本支部" + (merged.moved.isEmpty ? "。" : "，转入 \(merged.moved.joined(separator: "、"))。")
        }, page: { state in
            try await mergePage(req, unit, form: state, status: .unprocessableEntity)
        }) { db, change in
            guard let target else { throw Refusal("请检查填写的内容") }
            return try await UnitEdits.merge(id, into: target, change, on: db)
        }
    }
}
