import Fluent
import LeagueCore

/// An item belongs to the unit now responsible for it: that unit and those above see it. The
/// asker sees their own through `asked(by:)`, whatever kind of account they have.
extension VoiceItem: UnitScoped {
    static var unitPathField: KeyPath<VoiceItem, FieldProperty<VoiceItem, TreePath>> { \.$unitPath }

    static func own(_ query: QueryBuilder<VoiceItem>, account: Int, member: Int?) -> QueryBuilder<VoiceItem> {
        query.filter(\.$askerAccountID == account)
    }
}

/// The named rules of 青年之声 beside the unit scope.
enum VoiceScope {
    /// The questions one account asked (an administrator may ask too, as a young person).
    static func asked(by accountID: Int, on db: any Database) -> QueryBuilder<VoiceItem> {
        VoiceItem.query(on: db).filter(\.$askerAccountID == accountID)
    }

    /// What the public sees: answered questions the asker allowed and the cadre published.
    static func published(on db: any Database) -> QueryBuilder<VoiceItem> {
        VoiceItem.query(on: db).filter(\.$published == true)
    }
}
