import Fluent
import LeagueCore

/// What the cadre page reads.
enum CadreQueries {
    /// The cadres serving in a unit and below it, and the active units they serve, whose terms
    /// may be overdue.
    struct Serving {
        let unit: Organization
        let cadres: [Cadre]
        let units: [Organization]
    }

    static func serving(under unitID: Int, scope: Scope, on db: any Database) async throws -> Serving {
        let unit = try await scope.organization(unitID, on: db)
        let cadres = try await Scope(reach: .subtree(unit.path)).within(scope.query(Cadre.self, on: db), \Cadre.$unitPath)
            .filter(\.$leftOn == nil).all()
        let units = try await scope.organizations(on: db).filter(\.$id ~~ Array(Set(cadres.map(\.unitID)))).filter(\.$status == .active).all()
        return Serving(unit: unit, cadres: cadres, units: units)
    }
}
