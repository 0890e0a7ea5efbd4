import Fluent
import LeagueCore
import Vapor

/// A part's share of the demo city (`smartleague demo`): once the tree and its members are in,
/// each part that has one fills its own tables with a working city's worth of its business, so
/// that a newcomer sees every page alive and every benchmark reads realistic tables.
struct DemoFill: Sendable {
    /// The part's name on the progress bar (e.g. "青年大学习").
    let name: String
    /// Fills the part's tables; calls `progress(done, total)` as it goes.
    let fill: @Sendable (DemoCityContext, _ progress: @escaping @Sendable (Int, Int) -> Void) async throws -> Void
}

/// What the city looks like once its members are in, for the parts that fill it.
struct DemoCityContext: Sendable {
    /// One branch of the demo city and the members it holds.
    struct Branch: Sendable {
        /// What kind of grassroots committee the branch belongs to: it decides who its members are.
        enum Kind: Sendable, CaseIterable { case township, school, enterprise }

        let id: Int
        let path: TreePath
        let type: OrganizationType
        let kind: Kind
        /// The ids of the branch's members: the demo inserts them branch by branch into an empty
        /// table, so each branch's ids are one run.
        let members: ClosedRange<Int>?
    }

    let app: Application
    let seed: UInt64
    let today: CalendarDate
    /// The demo's author in the audit trail, with unrestricted scope (a command, not a request).
    let change: ChangeContext
    let root: Organization
    /// The city's districts, by code.
    let districts: [Organization]
    /// Every branch, in tree order.
    let branches: [Branch]
    let memberCount: Int
    /// Whom the demo accounts belong to, so that their pages show each part's work.
    let people: People
    /// The hash of the demo password, for the accounts the parts make: hashed once, as each hash
    /// costs a quarter of a second by design.
    let passwordHash: String

    /// The units and member behind the demo accounts (`demo.committee`, `demo.branch`, `demo.member`).
    struct People: Sendable {
        let committeeID: Int?
        let branchID: Int?
        let memberID: Int?
        /// The account of `demo.member`.
        let memberAccountID: Int?
    }

    var db: any Database { app.db }

    /// A random stream of the part's own: the same seed gives the same city, and one part's draws
    /// do not shift another's.
    func random(_ part: String) -> SeededRandom {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in part.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return SeededRandom(seed: seed ^ hash)
    }

    /// The district a branch belongs to.
    func district(of branch: Branch) -> Organization? {
        guard branch.path.ids.count > 1 else { return nil }
        return districts.first { $0.id == branch.path.ids[1] }
    }

    /// A day `daysAgo` before today.
    func day(_ daysAgo: Int) -> CalendarDate { today.adding(days: -daysAgo) }
}
