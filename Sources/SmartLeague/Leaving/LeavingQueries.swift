import Fluent
import SQLKit
import LeagueCore

/// What the leaving page reads.
enum LeavingQueries {
    /// Members in reach who are 28 and hold no league post, lapse decisions, and those who have
    /// left most recently.
    struct List {
        let overage: [Member]
        let requests: [LeavingRequest]
        let former: [Member]
    }

    /// The oldest this many of the age-28 list are shown, to be ticked and sent off as one batch;
    /// the member list's 超龄离团名单 pages through all of them.
    static let overageShown = 50

    static func list(today: CalendarDate, scope: Scope, on db: any Database) async throws -> List {
        let latest = MembershipAge.latestBirthDate(forAge: MembershipAge.leavingAge, on: today)
        // The oldest first and the latest to leave, each read along its index in a large unit
        // (`Scope.PathCondition`).
        let condition = MemberQueries.pathCondition(unitSize: try await MemberQueries.unitSize(MemberQueries.Filter(), scope: scope, on: db))
        let overage = try await listed(scope.members(on: db, condition)).filter(\.$birthDate <= latest.description)
            .filter(\.$holdsLeaguePost == false).sort(\.$birthDate).range(0..<overageShown).all()
        // The decisions awaiting approval first, then the latest decided.
        let pendingFirst = SQLQueryString("CASE WHEN status = \(bind: LeavingRequest.Status.pending.rawValue) THEN 0 ELSE 1 END")
        let requests = try await scope.query(LeavingRequest.self, on: db).sort(.sql(embed: pendingFirst)).sort(\.$id, .descending)
            .range(0..<50).all()
        let former = try await listed(scope.formerMembers(on: db, condition)).sort(\.$leftOn, .descending).range(0..<30).all()
        return List(overage: overage, requests: requests, former: former)
    }

    /// The columns the page's person rows show (`LeavingPage.PersonRow`), not a member's twenty:
    /// Fluent decodes each column of each of the eighty rows through a general decoder.
    private static func listed(_ query: QueryBuilder<Member>) -> QueryBuilder<Member> {
        query.field(\.$id).field(\.$name).field(\.$memberNumber).field(\.$birthDate).field(\.$leftReason).field(\.$leftOn)
    }
}
