import Fluent
import LeagueCore

/// A payment is kept where the member paid it.
extension DuesPayment: UnitScoped {
    static var unitPathField: KeyPath<DuesPayment, FieldProperty<DuesPayment, TreePath>> { \.$branchPath }
}

extension Scope {
    /// The payments of members in reach, wherever they were recorded: a member who transferred in
    /// brings the months paid in their old branch.
    func payments(of members: [Member], on db: any Database) async throws -> [DuesPayment] {
        let ids = members.filter { contains($0.branchPath) }.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        return try await DuesPayment.query(on: db).filter(\.$memberID ~~ ids).all()
    }
}
