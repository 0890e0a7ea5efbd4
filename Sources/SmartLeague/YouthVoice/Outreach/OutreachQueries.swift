import Fluent
import LeagueCore
import SQLKit

/// What the pages of 代表委员联系青年 read.
enum OutreachQueries {
    static func deputies(scope: Scope, on db: any Database) async throws -> [Deputy] {
        try await scope.query(Deputy.self, on: db).filter(\.$active == true).sort(\.$role).sort(\.$name).range(0..<300).all()
    }

    /// The studios in reach, the city's first, then each district's by name.
    static func studios(scope: Scope, on db: any Database) async throws -> [Studio] {
        try await scope.query(Studio.self, on: db).sort(\.$unitPath).sort(\.$name).range(0..<300).all()
    }

    /// The active deputies in reach who sit in these studios, by name.
    static func members(of studioIDs: [Int], scope: Scope, on db: any Database) async throws -> [Int: [Deputy]] {
        guard !studioIDs.isEmpty else { return [:] }
        let sitting = try await scope.query(Deputy.self, on: db).filter(\.$active == true).filter(\.$studioID ~~ studioIDs)
            .sort(\.$name).range(0..<5_000).all()
        return Dictionary(grouping: sitting, by: { $0.studioID ?? 0 })
    }

    /// The names of the studios deputies in reach sit in. A studio of another committee (a district's
    /// deputy in the city's studio) is named all the same: it is the deputy's own record.
    static func studioNames(_ ids: some Sequence<Int>, on db: any Database) async throws -> [Int: String] {
        let wanted = Array(Set(ids))
        guard !wanted.isEmpty else { return [:] }
        return Dictionary(try await Scope.unrestricted.query(Studio.self, on: db).filter(\.$id ~~ wanted).all()
            .compactMap { studio in studio.id.map { ($0, studio.name) } }, uniquingKeysWith: { first, _ in first })
    }

    /// One row of 面对面 compliance: a unit, its cadence and each period of the year.
    struct ComplianceRow {
        let unitName: String
        let cadence: OutreachCadence
        let periods: [(label: String, held: Bool?)]
    }

    /// The meetings of the year in reach of `unit`, newest first, and compliance: the city's own on
    /// its cadence and each district's own on theirs (a district sees its own row).
    static func meetings(of unit: Organization, year: Int, today: CalendarDate, scope: Scope,
                         on db: any Database) async throws -> (meetings: [OutreachMeeting], compliance: [ComplianceRow]) {
        let meetings = try await scope.query(OutreachMeeting.self, on: db).filter(\.$heldOn >= "\(year)-01-01").filter(\.$heldOn <= "\(year)-12-31")
            .sort(\.$heldOn, .descending).range(0..<500).all()
        let policy = try await OutreachScope.policy(on: db)
        let depth = unit.path.ids.count
        var levels: [(Organization, OutreachCadence)] = []
        if depth == 1 {
            levels.append((unit, policy.cityCadence))
            for district in try await scope.organizations(on: db).filter(\.$parentID == (unit.id ?? 0)).filter(\.$status == .active).sort(\.$code).all() {
                levels.append((district, policy.districtCadence))
            }
        } else if depth == 2 {
            levels.append((unit, policy.districtCadence))
        }
        let heldBy = Dictionary(grouping: meetings, by: \.unitID).mapValues { $0.compactMap { CalendarDate($0.heldOn) } }
        var rows = levels.map { level, cadence in
            ComplianceRow(unitName: level.name, cadence: cadence, periods: cadence.compliance(heldOn: heldBy[level.id ?? 0] ?? [], year: year, today: today))
        }
        // The city also meets once a year at least (月季年).
        if depth == 1, policy.cityCadence != .yearly {
            rows.insert(ComplianceRow(unitName: unit.name, cadence: .yearly,
                                      periods: OutreachCadence.yearly.compliance(heldOn: heldBy[unit.id ?? 0] ?? [], year: year, today: today)), at: 1)
        }
        return (meetings, rows)
    }

    static func proposals(scope: Scope, on db: any Database) async throws -> [Proposal] {
        try await scope.query(Proposal.self, on: db).sort(\.$id, .descending).range(0..<200).all()
    }

    /// The proposals built from an item that the cadre's reach holds (a proposal of the city on a
    /// district's item stays the city's).
    static func proposals(builtFrom itemID: Int, scope: Scope, on db: any Database) async throws -> [Proposal] {
        let ids = try await OutreachScope.proposalIDs(builtFrom: itemID, on: db)
        guard !ids.isEmpty else { return [] }
        return try await scope.query(Proposal.self, on: db).filter(\.$id ~~ ids).sort(\.$id).all()
    }

    /// The needs a proposal was built from, as far as the caller reaches them.
    static func needs(of proposalID: Int, scope: Scope, on db: any Database) async throws -> [VoiceItem] {
        let ids = try await ProposalNeed.query(on: db).filter(\.$proposalID == proposalID).all(\.$itemID)
        guard !ids.isEmpty else { return [] }
        return try await scope.query(VoiceItem.self, on: db).filter(\.$id ~~ ids).sort(\.$id).all()
    }

    /// The cadre's own young people with their latest contacts.
    static func contacts(of cadreAccountID: Int, scope: Scope, on db: any Database) async throws -> [(YouthContact, [ContactVisit])] {
        let contacts = try await scope.query(YouthContact.self, on: db).filter(\.$cadreAccountID == cadreAccountID).sort(\.$id).range(0..<300).all()
        let ids = contacts.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let visits = try await scope.query(ContactVisit.self, on: db).filter(\.$contactID ~~ ids).sort(\.$visitedOn, .descending).all()
        let byContact = Dictionary(grouping: visits, by: \.contactID)
        return contacts.map { ($0, Array((byContact[$0.id ?? 0] ?? []).prefix(5))) }
    }

    /// Coverage per unit: the unit's own cadres (administrator accounts) and their contacts, for
    /// `unit` and the units directly below it.
    static func coverage(of unit: Organization, target: Int, scope: Scope,
                         on db: any Database) async throws -> [(unit: Organization, cadres: Int, covered: Int, share: Double?)] {
        let units = [unit] + (try await scope.organizations(on: db).filter(\.$parentID == (unit.id ?? 0)).filter(\.$status == .active)
            .sort(\.$code).range(0..<200).all())
        let unitIDs = units.compactMap(\.id)
        let cadres = try await scope.accounts(on: db).filter(\.$kind == .administrator).filter(\.$disabled == false)
            .filter(\.$organizationID ~~ unitIDs).all()
        let contacts = try await scope.query(YouthContact.self, on: db).filter(\.$unitID ~~ unitIDs).all(\.$cadreAccountID)
        var perCadre: [Int: Int] = [:]
        for id in contacts { perCadre[id, default: 0] += 1 }
        return units.map { unit in
            let counts = cadres.filter { $0.organizationID == unit.id }.map { perCadre[$0.id ?? 0] ?? 0 }
            return (unit, counts.count, counts.filter { $0 >= max(1, target) }.count, ContactCoverage.share(contactsPerCadre: counts, target: target))
        }
    }
}
