import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Reading change requests with the units they name, within the caller's scope.
enum ChangeRequestQueries {
    struct Row: Decodable, Sendable {
        let id: Int
        let kind: String
        let status: String
        let approved_steps: Int
        let organization_id: Int
        let unit_name: String
        let unit_path: TreePath
        let unit_parent_path: TreePath?
        let unit_parent_name: String?
        let from_name: String?
        let from_path: TreePath?
        let to_name: String?
        let to_path: TreePath?
        let proposed_name: String?
        let requested_by: String
        let requested_at: Date
        let decided_by: String?
        let reason: String?

        /// The unit whose side decides `step`.
        func path(for step: ApprovalStep) -> TreePath? {
            switch step {
            case .oldParent: from_path
            case .newParent: to_path
            case .parent: unit_parent_path
            }
        }

        func name(for step: ApprovalStep) -> String? {
            switch step {
            case .oldParent: from_name
            case .newParent: to_name
            case .parent: unit_parent_name
            }
        }
    }

    /// Requests visible to the caller: about a unit in reach, or asking a unit in reach to receive one.
    static func list(scope: Scope, unitID: Int? = nil, requestID: Int? = nil, pendingOnly: Bool, limit: Int, offset: Int = 0, on db: any Database) async throws -> [Row] {
        var select = db.sql.select()
            .column(SQLColumn("id", table: "r")).column(SQLColumn("kind", table: "r"))
            .column(SQLColumn("status", table: "r")).column(SQLColumn("approved_steps", table: "r"))
            .column(SQLColumn("organization_id", table: "r"))
            .column(SQLColumn("name", table: "u"), as: "unit_name").column(SQLColumn("path", table: "u"), as: "unit_path")
            .column(SQLColumn("path", table: "up"), as: "unit_parent_path").column(SQLColumn("name", table: "up"), as: "unit_parent_name")
            .column(SQLColumn("name", table: "f"), as: "from_name").column(SQLColumn("path", table: "f"), as: "from_path")
            .column(SQLColumn("name", table: "t"), as: "to_name").column(SQLColumn("path", table: "t"), as: "to_path")
            .column(SQLColumn("proposed_name", table: "r")).column(SQLColumn("requested_by", table: "r"))
            .column(SQLColumn("requested_at", table: "r")).column(SQLColumn("decided_by", table: "r"))
            .column(SQLColumn("reason", table: "r"))
            .from(SQLAlias(SQLIdentifier(ChangeRequestRecord.schema), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier(Organization.schema), as: SQLIdentifier("u")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "u"), .equal, SQLColumn("organization_id", table: "r"))
            .join(SQLAlias(SQLIdentifier(Organization.schema), as: SQLIdentifier("up")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "up"), .equal, SQLColumn("parent_id", table: "u"))
            .join(SQLAlias(SQLIdentifier(Organization.schema), as: SQLIdentifier("f")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "f"), .equal, SQLColumn("from_parent_id", table: "r"))
            .join(SQLAlias(SQLIdentifier(Organization.schema), as: SQLIdentifier("t")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "t"), .equal, SQLColumn("to_parent_id", table: "r"))
        select = scope.restrict(select, paths: [SQLColumn("path", table: "u"), SQLColumn("path", table: "t")])
        if let unitID { select = select.where(SQLColumn("organization_id", table: "r"), .equal, SQLBind(unitID)) }
        if let requestID { select = select.where(SQLColumn("id", table: "r"), .equal, SQLBind(requestID)) }
        if pendingOnly { select = select.where(SQLColumn("status", table: "r"), .equal, SQLBind(ChangeRequestStatus.pending.rawValue)) }
        return try await select.orderBy(SQLColumn("id", table: "r"), SQLDirection.descending).limit(limit).offset(offset).all(decoding: Row.self)
    }

    static func find(_ id: Int, scope: Scope, on db: any Database) async throws -> Row {
        guard let row = try await list(scope: scope, requestID: id, pendingOnly: false, limit: 1, on: db).first else {
            throw Abort(.notFound)
        }
        return row
    }
}
