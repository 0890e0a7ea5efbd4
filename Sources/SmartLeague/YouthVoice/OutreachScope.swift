import Fluent
import LeagueCore

/// Deputies, meetings, proposals and contacts belong to the unit that keeps them.
extension Deputy: UnitScoped {
    static var unitPathField: KeyPath<Deputy, FieldProperty<Deputy, TreePath>> { \.$unitPath }
}

extension Studio: UnitScoped {
    static var unitPathField: KeyPath<Studio, FieldProperty<Studio, TreePath>> { \.$unitPath }
}

extension OutreachMeeting: UnitScoped {
    static var unitPathField: KeyPath<OutreachMeeting, FieldProperty<OutreachMeeting, TreePath>> { \.$unitPath }
}

extension Proposal: UnitScoped {
    static var unitPathField: KeyPath<Proposal, FieldProperty<Proposal, TreePath>> { \.$unitPath }
}

extension YouthContact: UnitScoped {
    static var unitPathField: KeyPath<YouthContact, FieldProperty<YouthContact, TreePath>> { \.$unitPath }
}

extension ContactVisit: UnitScoped {
    static var unitPathField: KeyPath<ContactVisit, FieldProperty<ContactVisit, TreePath>> { \.$unitPath }
}

/// The named rules of 代表委员联系青年 beside the unit scope.
enum OutreachScope {
    /// What became of the needs an asker raised: the proposals built from their item, whichever
    /// unit keeps them (the asker sees the title, status and outcome, not the unit's other work).
    static func proposals(builtFrom itemID: Int, on db: any Database) async throws -> [Proposal] {
        let ids = try await proposalIDs(builtFrom: itemID, on: db)
        guard !ids.isEmpty else { return [] }
        return try await Proposal.query(on: db).filter(\.$id ~~ ids).sort(\.$id).all()
    }

    /// The ids of the proposals built from an item, whoever keeps them.
    static func proposalIDs(builtFrom itemID: Int, on db: any Database) async throws -> [Int] {
        try await ProposalNeed.query(on: db).filter(\.$itemID == itemID).all(\.$proposalID)
    }

    /// The policy of 面对面 and contact.
    static func policy(on db: any Database) async throws -> OutreachPolicyRow {
        if let row = try await OutreachPolicyRow.query(on: db).sort(\.$id).first() { return row }
        let row = OutreachPolicyRow()
        row.cityCadence = .quarterly
        row.districtCadence = .monthly
        row.contactTarget = 10
        return row
    }
}
