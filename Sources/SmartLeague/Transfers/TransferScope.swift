import Fluent
import LeagueCore
import Vapor

/// A transfer is seen by both sides: the unit it leaves and the unit it goes to; a member sees
/// their own. So is a request to take a member in, once a holding side is known.
extension Scope {
    func transfers(on db: any Database) -> QueryBuilder<Transfer> {
        let query = Transfer.query(on: db)
        switch reach {
        case .ownAccount(_, let member): return query.filter(\.$memberID == (member ?? -1))
        default: return withinEither(query, \.$fromPath, \.$toPath)
        }
    }

    func transfer(_ id: Int?, on db: any Database) async throws -> Transfer {
        guard let id, let found = try await transfers(on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        return found
    }

    /// Requests to take a member in: the receiver's own, and those the holding side in reach answers.
    func transferRequests(on db: any Database) -> QueryBuilder<TransferRequest> {
        withinEither(TransferRequest.query(on: db), \.$toPath, \.$fromPath)
    }

    func transferRequest(_ id: Int?, on db: any Database) async throws -> TransferRequest {
        guard let id, let found = try await transferRequests(on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        return found
    }
}
