import Fluent
import Foundation
import SQLKit
import LeagueCore

/// What the transfer pages read.
enum TransferQueries {
    /// What the list shows the caller: transfers either side of which is theirs, requests to take
    /// members in that they filed or hold, and the units the rows name.
    struct List {
        /// One page of them, the latest changed first.
        let transfers: [Listed]
        let pagination: Pagination
        /// The open transfers of whole classes, whichever page their rows are on.
        let openBatches: [Listed]
        let requests: [ListedRequest]
        let unitNames: [Int: String]
        let ownUnit: Organization?
    }

    /// A transfer as the list shows it: its row, or its part of a class.
    struct Listed: TransferParties {
        let id: Int
        let memberID: Int
        let memberName: String
        let fromBranchID: Int
        let fromPath: TreePath
        let toUnitID: Int
        let toPath: TreePath
        let status: TransferStatus
        let batch: String?
        let graduate: Bool
    }

    /// A request to take a member in, as the list shows it.
    struct ListedRequest: TransferRequestStanding {
        let id: Int
        let memberNumber: String
        let memberName: String
        let toUnitID: Int
        let fromPath: TreePath?
        let status: TransferRequest.Status
        let transferID: Int?
        let requestedBy: String
        let createdAt: Date
    }

    static let pageSize = 50

    /// The list's columns of transfers, read as rows (`fieldRows`): a transfer is fifteen fields.
    private static func listed(_ query: QueryBuilder<Transfer>) async throws -> [Listed] {
        try await query.fields(\.$id, \.$memberID, \.$memberName, \.$fromBranchID, \.$fromPath,
                               \.$toUnitID, \.$toPath, \.$status, \.$batch, \.$graduate)
            .fieldRows().map(Listed.init)
    }

    /// The transfers in reach in the list's order: the latest change first (`IndexTransfersByChange`).
    static func inListOrder(scope: Scope, on db: any Database) -> QueryBuilder<Transfer> {
        scope.transfers(on: db).sort(\.$updatedAt, .descending).sort(\.$id, .descending)
    }

    static func list(for actor: Actor, page: Int, scope: Scope, on db: any Database) async throws -> List {
        let pagination = Pagination(page: page, pageSize: pageSize, total: try await scope.transfers(on: db).count())
        let transfers = try await listed(inListOrder(scope: scope, on: db).range(pagination.offset..<(pagination.offset + pagination.pageSize)))
        let openBatches = try await listed(scope.transfers(on: db).filter(\.$batch != nil)
            .filter(\.$status ~~ TransferStatus.allCases.filter(\.isOpen)).range(0..<2000))
        let requests = actor.kind == .administrator
            ? try await scope.transferRequests(on: db).sort(.sql(embed: SQLQueryString("CASE WHEN status = \(bind: TransferRequest.Status.pending.rawValue) THEN 0 ELSE 1 END")))
                .sort(\.$id, .descending).range(0..<50)
                .fields(\.$id, \.$memberNumber, \.$memberName, \.$toUnitID, \.$fromPath, \.$status,
                        \.$transferID, \.$requestedBy, \.$createdAt).fieldRows().map(ListedRequest.init) : []
        let names = try await Directory.unitNames((transfers + openBatches).flatMap { [$0.fromBranchID, $0.toUnitID] } + requests.map(\.toUnitID),
                                                  on: db)
        let unit = try await scope.organizations(on: db).filter(\.$id == actor.unitID).first()
        return List(transfers: transfers, pagination: pagination, openBatches: openBatches, requests: requests, unitNames: names, ownUnit: unit)
    }

    /// One transfer with its history, and the branches it may be placed in when that is the
    /// caller's to do.
    struct Detail {
        let transfer: Transfer
        let events: [TransferEvent]
        let unitNames: [Int: String]
        let branches: [Organization]
    }

    static func detail(_ id: Int, scope: Scope, on db: any Database) async throws -> Detail {
        let transfer = try await scope.transfer(id, on: db)
        let names = try await Directory.unitNames([transfer.fromBranchID, transfer.toUnitID] + [transfer.placedBranchID].compactMap { $0 }, on: db)
        let events = try await TransferEvent.query(on: db).filter(\.$transferID == id).sort(\.$id).all()
        var branches: [Organization] = []
        if transfer.status == .awaitingPlacement && TransferWrites.acts(scope, as: .receiver, for: transfer) {
            branches = try await Scope(reach: .subtree(transfer.toPath)).within(scope.organizations(on: db), \Organization.$path)
                .filter(\.$status == .active).filter(\.$type ~~ OrganizationType.allCases.filter(\.isBranch)).sort(\.$path).range(0..<500).all()
        }
        return Detail(transfer: transfer, events: events, unitNames: names, branches: branches)
    }

    /// The open transfers of a class the caller may act on.
    static func openBatch(_ batch: String, scope: Scope, on db: any Database) async throws -> [Transfer] {
        try await scope.transfers(on: db).filter(\.$batch == batch)
            .filter(\.$status ~~ [.awaitingSender, .awaitingReceiver, .awaitingPlacement]).all()
    }
}

extension TransferQueries.Listed {
    init(_ row: FieldRow<Transfer>) throws {
        id = try row("id")
        memberID = try row("member_id")
        memberName = try row("member_name")
        fromBranchID = try row("from_branch_id")
        fromPath = try row("from_path")
        toUnitID = try row("to_unit_id")
        toPath = try row("to_path")
        status = try row("status")
        batch = try row("batch")
        graduate = try row("graduate")
    }
}

extension TransferQueries.ListedRequest {
    init(_ row: FieldRow<TransferRequest>) throws {
        id = try row("id")
        memberNumber = try row("member_number")
        memberName = try row("member_name")
        toUnitID = try row("to_unit_id")
        fromPath = try row("from_path")
        status = try row("status")
        transferID = try row("transfer_id")
        requestedBy = try row("requested_by")
        createdAt = try row("created_at")
    }
}
