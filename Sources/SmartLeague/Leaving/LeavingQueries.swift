import Fluent
import SQLKit
import LeagueCore

/// What the leaving page reads.
enum LeavingQueries {
    /// Members in reach who are 28 and hold no league post, lapse decisions, and those who have
    /// left most recently.
    struct List {
        let overage: [MemberQueries.Row]
        let requests: [ListedRequest]
        let former: [FormerMember]
    }

    /// A lapse decision as the page lists it.
    struct ListedRequest {
        let id: Int
        let memberName: String
        let decidedOn: String
        let status: LeavingRequest.Status
    }

    /// A member who has left, as the page lists them.
    struct FormerMember {
        let id: Int
        let name: String
        let memberNumber: String
        let birthDate: String
        let leftReason: String?
        let leftOn: String?
    }

    /// The oldest this many of the age-28 list are shown, to be ticked and sent off as one batch;
    /// the member list's 超龄离团名单 pages through all of them.
    static let overageShown = 50

    static func list(today: CalendarDate, scope: Scope, on db: any Database) async throws -> List {
        // The oldest first and the latest to leave, each read along its index in a large unit
        // (`Scope.PathCondition`), as rows of the columns the page shows: Fluent builds every one
        // of a member's twenty-five fields for each of the eighty rows.
        let unitSize = try await MemberQueries.unitSize(MemberQueries.Filter(), scope: scope, on: db)
        let overage = try await MemberQueries.rows(MemberQueries.Filter(overageOnly: true, sort: .birthDate), scope: scope, today: today,
                                                   limit: overageShown, offset: 0, unitSize: unitSize, on: db)
        // The decisions awaiting approval first, then the latest decided.
        let pendingFirst = SQLQueryString("CASE WHEN status = \(bind: LeavingRequest.Status.pending.rawValue) THEN 0 ELSE 1 END")
        let requests = try await scope.query(LeavingRequest.self, on: db).sort(.sql(embed: pendingFirst)).sort(\.$id, .descending)
            .range(0..<50).fields(\.$id, \.$memberName, \.$decidedOn, \.$status).fieldRows()
            .map { ListedRequest(id: try $0("id"), memberName: try $0("member_name"), decidedOn: try $0("decided_on"), status: try $0("status")) }
        return List(overage: overage, requests: requests,
                    former: try await former(limit: 30, scope: scope, MemberQueries.pathCondition(unitSize: unitSize), on: db))
    }

    /// Those who left most recently, through the scope's rule for former members.
    private static func former(limit: Int, scope: Scope, _ condition: Scope.PathCondition, on db: any Database) async throws -> [FormerMember] {
        try await scope.formerMembers(on: db, condition).sort(\.$leftOn, .descending).range(0..<limit)
            .fields(\.$id, \.$name, \.$memberNumber, \.$birthDate, \.$leftReason, \.$leftOn).fieldRows()
            .map { row in
                FormerMember(id: try row("id"), name: try row("name"), memberNumber: try row("member_number"), birthDate: try row("birth_date"),
                             leftReason: try row("left_reason"), leftOn: try row("left_on"))
            }
    }
}
