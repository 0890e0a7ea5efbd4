import LeagueCore

/// 工作台: an administrator's unit at a glance, with what waits for them and the latest entries
/// of the log.
struct AdminHomePage: Encodable {
    let isAdministrator = true
    let unit: UnitPage.Unit
    let counts: [UnitPage.TypeCount]
    let directChildren: Int
    let members: Int
    let awaitingMe: Int
    let recent: [RecentEntry]
    let hasRecent: Bool

    /// A line of the log as the home page shows it: no field changes, no address.
    struct RecentEntry: Encodable {
        let at: String
        let actorName: String
        let action: String
        let summary: String

        init(_ entry: AuditQueries.Entry) {
            at = ChinaTime.dateTimeString(entry.at)
            actorName = entry.actorName
            action = AuditActions.label(entry.action)
            summary = entry.summary
        }
    }

    init(_ home: OrganizationQueries.Home, scope: Scope) {
        unit = UnitPage.Unit(home.unit)
        counts = home.counts.map(UnitPage.TypeCount.init)
        directChildren = home.directChildren
        members = home.memberTotal
        awaitingMe = home.pending.map { ChangeRequestsPage.Row($0, scope: scope) }.filter(\.canDecide).count
        recent = home.recent.map(RecentEntry.init)
        hasRecent = !recent.isEmpty
    }
}

/// 个人中心: a member's own account and record.
struct MemberHomePage: Encodable {
    let isAdministrator = false
    let displayName: String
    let username: String
    let branchName: String
    let record: MemberPage.Record?

    init(_ actor: Actor, record member: Member?, today: CalendarDate) {
        displayName = actor.displayName
        username = actor.username
        branchName = actor.unitName
        record = member.map { MemberPage.Record($0, branchID: actor.unitID, branchName: actor.unitName, today: today, fullID: nil) }
    }
}
