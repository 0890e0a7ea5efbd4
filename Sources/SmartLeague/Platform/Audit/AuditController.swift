import Fluent
import LeagueCore
import SQLKit
import Vapor

/// The audit log of the caller's scope, by date, actor and unit.
struct AuditController: RouteCollection {
    static let pageSize = 50

    func boot(routes: any RoutesBuilder) throws {
        routes.get("audit", use: index)
    }

    struct Filter: Sendable {
        var from: Date?
        var until: Date?
        var actor: String?
        var unitPath: TreePath?
    }

    struct ChangeView: Encodable {
        let field: String
        let old: String
        let new: String
    }

    struct EntryView: Encodable {
        let at: String
        let actorName: String
        let ip: String
        let unitName: String
        let action: String
        let summary: String
        let changes: [ChangeView]
    }

    private struct Row: Decodable {
        let at: Date
        let actor_name: String
        let ip: String
        let unit_name: String?
        let action: String
        let summary: String
        let changes: String
    }

    private static func select(scope: Scope, filter: Filter, on db: any Database) -> SQLSelectBuilder {
        var select = db.sql.select()
            .from(SQLAlias(SQLIdentifier(AuditEntry.schema), as: SQLIdentifier("e")))
            .join(SQLAlias(SQLIdentifier(Organization.schema), as: SQLIdentifier("o")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "o"), .equal, SQLColumn("organization_id", table: "e"))
        if let from = filter.from { select = select.where(SQLColumn("at", table: "e"), .greaterThanOrEqual, SQLBind(from)) }
        if let until = filter.until { select = select.where(SQLColumn("at", table: "e"), .lessThan, SQLBind(until)) }
        if let actor = filter.actor { select = select.where(containsText("e.actor_name", actor)) }
        if let unit = filter.unitPath {
            select = select.where(SQLColumn("organization_path", table: "e"), .greaterThanOrEqual, SQLBind(unit.subtreeLowerBound))
                .where(SQLColumn("organization_path", table: "e"), .lessThan, SQLBind(unit.subtreeUpperBound))
        }
        return scope.restrict(select, paths: [SQLColumn("organization_path", table: "e")])
    }

    static func entries(scope: Scope, filter: Filter, limit: Int, offset: Int, on db: any Database) async throws -> [EntryView] {
        let rows = try await select(scope: scope, filter: filter, on: db)
            .column(SQLColumn("at", table: "e")).column(SQLColumn("actor_name", table: "e"))
            .column(SQLColumn("ip", table: "e")).column(SQLColumn("name", table: "o"), as: "unit_name")
            .column(SQLColumn("action", table: "e")).column(SQLColumn("summary", table: "e"))
            .column(SQLColumn("changes", table: "e"))
            .orderBy(SQLColumn("at", table: "e"), SQLDirection.descending).orderBy(SQLColumn("id", table: "e"), SQLDirection.descending)
            .limit(limit).offset(offset)
            .all(decoding: Row.self)
        return rows.map { row in
            let changes = (try? JSONDecoder().decode([FieldChange].self, from: Data(row.changes.utf8))) ?? []
            return EntryView(at: ChinaTime.dateTimeString(row.at), actorName: row.actor_name, ip: row.ip,
                             unitName: row.unit_name ?? "", action: AuditActions.label(row.action), summary: row.summary,
                             changes: changes.map { ChangeView(field: $0.field, old: $0.old, new: $0.new) })
        }
    }

    static func count(scope: Scope, filter: Filter, on db: any Database) async throws -> Int {
        struct Count: Decodable { let total: Int }
        return try await select(scope: scope, filter: filter, on: db)
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "total")
            .first(decoding: Count.self)?.total ?? 0
    }

    struct IndexPage: Encodable {
        let entries: [EntryView]
        let pagination: Pagination
        let form: FormState
    }

    @Sendable func index(req: Request) async throws -> Response {
        let scope = req.scope
        let query = (try? req.query.decode([String: String].self)) ?? [:]
        var state = FormState(values: query)
        var filter = Filter()
        if let from = state.check("from", { try FormField.date(query["from"], label: "开始日期") }) ?? nil {
            filter.from = ChinaTime.startOfDay(from)
        }
        if let until = state.check("until", { try FormField.date(query["until"], label: "结束日期") }) ?? nil {
            filter.until = ChinaTime.startOfDay(until).addingTimeInterval(24 * 3600)
        }
        filter.actor = state.check("actor") { try FormField.text(query["actor"], label: "操作人", required: false, max: 40) } ?? nil
        if let key = state.check("unit", { try FormField.text(query["unit"], label: "组织", required: false, max: 60) }) ?? nil {
            if let unit = try await scope.activeOrganization(codeOrName: key, on: req.db) {
                filter.unitPath = unit.path
            } else {
                state.errors["unit"] = "找不到该组织，或它不在您的管理范围内"
            }
        }
        guard state.isValid else {
            return try await req.page("audit/index", title: "操作日志",
                                      IndexPage(entries: [], pagination: Pagination(page: 1, pageSize: Self.pageSize, total: 0),
                                                form: state), status: .unprocessableEntity)
        }
        let total = try await Self.count(scope: scope, filter: filter, on: req.db)
        let keep = query.filter { ["from", "until", "actor", "unit"].contains($0.key) }
        let pagination = Pagination(page: Pagination.requestedPage(req), pageSize: Self.pageSize, total: total, keep: keep)
        let entries = try await Self.entries(scope: scope, filter: filter, limit: Self.pageSize, offset: pagination.offset, on: req.db)
        return try await req.page("audit/index", title: "操作日志", IndexPage(entries: entries, pagination: pagination, form: state))
    }
}

/// Chinese names of the audited actions.
enum AuditActions {
    static let labels: [String: String] = [
        "organization.create": "设立组织", "organization.update": "修改组织信息", "organization.rename": "组织更名",
        "organization.dissolve": "撤销组织", "organization.merge": "合并团支部", "organization.move": "变更上级组织",
        "organization.request_move": "申请变更上级", "organization.request_rename": "申请更名",
        "organization.request_decide": "审批变更申请", "organization.request_withdraw": "撤回变更申请",
        "account.create": "创建账号", "account.sign_in": "登录", "account.sign_in_failed": "登录失败",
        "account.locked": "账号锁定", "account.sign_out": "退出登录", "account.change_password": "修改密码",
        "account.reset_password": "重置密码", "account.unlock": "解除锁定", "account.disable": "停用账号",
        "account.enable": "启用账号", "account.move": "账号转移", "system.bootstrap": "系统初始化",
        "member.create": "登记团员", "member.update": "修改团员信息", "member.reveal": "查看身份证号",
        "member.export": "导出团员名单", "member.import": "批量导入团员", "member.move": "团员转入",
        "system.demo": "生成演示数据",
    ]

    static func label(_ action: String) -> String { labels[action] ?? action }
}
