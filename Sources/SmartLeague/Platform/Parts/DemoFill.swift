import Fluent
import LeagueCore
import Vapor

/// A part's share of the demo city (`smartleague demo`): once the tree and its members are in,
/// each part that has one fills its own tables with a working city's worth of its business, so
/// that a newcomer sees every page alive and every benchmark reads realistic tables.
///
/// Fills run side by side where they can: a fill starts once the fills it leans on are done, so
/// that what one does between its transactions (draws, reads) runs on one core while the database
/// writes another's on the other. What a fill leans on is part of the city's determinism: two
/// fills that run at once must not read what the other writes, nor write rows into one table
/// whose ids a later draw depends on. The audit trail and the kept totals (`SubtreeTotals`) are
/// the exception: both take rows from fills at once, and their ids are nobody's key.
struct DemoFill: Sendable {
    /// The part's name on the progress bar (e.g. "青年大学习"), and how other fills name it.
    let name: String
    /// The fills (by name) whose rows this one reads, or whose ids its own rows must follow; nil
    /// for every fill before it in the registry, the safe choice for a fill that has not said.
    let leansOn: [String]?
    /// Fills the part's tables; calls `progress(done, total)` as it goes.
    let fill: @Sendable (DemoCityContext, _ progress: @escaping @Sendable (Int, Int) -> Void) async throws -> Void

    init(name: String, leansOn: [String]? = nil,
         fill: @escaping @Sendable (DemoCityContext, _ progress: @escaping @Sendable (Int, Int) -> Void) async throws -> Void) {
        self.name = name
        self.leansOn = leansOn
        self.fill = fill
    }

    /// The fills in an order that puts every fill after those it leans on, each with the
    /// positions (in that order) of the fills it waits for; the registry's order where it can.
    /// Throws for a name no fill has, or fills that lean on each other in a circle.
    static func schedule(_ fills: [DemoFill]) throws -> [(fill: DemoFill, waitsFor: [Int])] {
        var waits: [String: [String]] = [:]
        for (index, fill) in fills.enumerated() {
            let named = fill.leansOn ?? fills[..<index].map(\.name)
            if let unknown = named.first(where: { name in !fills.contains { $0.name == name } }) {
                throw Refusal("演示数据「\(fill.name)」依赖的「\(unknown)」不存在")
            }
            guard waits.updateValue(named, forKey: fill.name) == nil else { throw Refusal("演示数据「\(fill.name)」重名") }
        }
        var ordered: [(fill: DemoFill, waitsFor: [Int])] = []
        var placed: [String: Int] = [:]
        var left = fills
        while !left.isEmpty {
            guard let next = left.firstIndex(where: { fill in (waits[fill.name] ?? []).allSatisfy { placed[$0] != nil } }) else {
                throw Refusal("演示数据的依赖成环：" + left.map(\.name).joined(separator: "、"))
            }
            let fill = left.remove(at: next)
            ordered.append((fill, (waits[fill.name] ?? []).compactMap { placed[$0] }))
            placed[fill.name] = ordered.count - 1
        }
        return ordered
    }
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
