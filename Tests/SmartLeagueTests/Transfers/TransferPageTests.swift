import Foundation
import LeagueCore
import Testing
@testable import SmartLeague

/// The transfer pages built from rows, without HTTP or a database.
@Suite struct TransferPageTests {
    static func transfer(_ id: Int, from: TreePath, to: TreePath, status: TransferStatus, batch: String? = nil) -> Transfer {
        let transfer = Transfer()
        transfer.id = id
        transfer.memberID = id
        transfer.memberName = "团员\(id)"
        transfer.fromBranchID = from.ids.last ?? 0
        transfer.fromPath = from
        transfer.toUnitID = to.ids.last ?? 0
        transfer.toPath = to
        transfer.startedBy = .sender
        transfer.status = status
        transfer.batch = batch
        transfer.graduate = batch != nil
        transfer.createdAt = Date(timeIntervalSince1970: 0)
        transfer.updatedAt = Date(timeIntervalSince1970: 0)
        return transfer
    }

    static func administrator(of unit: TreePath) -> Actor {
        Actor(accountID: 1, username: "a", displayName: "管理员", kind: .administrator, memberID: nil, unitID: unit.ids.last ?? 0,
              unitPath: unit, unitName: "单位", mustChangePassword: false, sessionID: "s", csrfToken: "c", flash: nil, appointedBy: nil)
    }

    @Test func eachSideSeesItsDirectionAndAClassOnlyItsReceiverMayAgreeTo() {
        let haishu = TreePath(ids: [1, 2]), jiangbei = TreePath(ids: [1, 3])
        let model = Self.transfer(10, from: haishu.appending(20), to: jiangbei.appending(30), status: .awaitingReceiver, batch: "2026-20-1")
        let out = TransferQueries.Listed(id: 10, memberID: model.memberID, memberName: model.memberName, fromBranchID: model.fromBranchID,
                                         fromPath: model.fromPath, toUnitID: model.toUnitID, toPath: model.toPath, status: model.status,
                                         batch: model.batch, graduate: model.graduate)
        // The class is listed from the open batch transfers, whichever page of the list their rows are on.
        let list = TransferQueries.List(transfers: [], pagination: Pagination(page: 2, pageSize: 50, total: 51), openBatches: [out],
                                        requests: [], unitNames: [20: "海曙某支部", 30: "江北某支部"], ownUnit: nil)
        let firstPage = TransferQueries.List(transfers: [out], pagination: Pagination(page: 1, pageSize: 50, total: 51), openBatches: [out],
                                             requests: [], unitNames: [20: "海曙某支部", 30: "江北某支部"], ownUnit: nil)
        let today = CalendarDate(year: 2026, month: 11, day: 1)!
        let sender = TransferListPage(list, actor: Self.administrator(of: haishu), scope: Scope(reach: .subtree(haishu)), today: today,
                                      now: Date(), form: FormState())
        let receiver = TransferListPage(list, actor: Self.administrator(of: jiangbei), scope: Scope(reach: .subtree(jiangbei)), today: today,
                                        now: Date(), form: FormState())
        let senderRows = TransferListPage(firstPage, actor: Self.administrator(of: haishu), scope: Scope(reach: .subtree(haishu)), today: today,
                                          now: Date(), form: FormState()).rows
        let receiverRows = TransferListPage(firstPage, actor: Self.administrator(of: jiangbei), scope: Scope(reach: .subtree(jiangbei)), today: today,
                                            now: Date(), form: FormState()).rows
        #expect(senderRows.map(\.direction) == ["转出"] && receiverRows.map(\.direction) == ["转入"])
        #expect(senderRows.first?.url == "/transfers/10" && sender.rows.isEmpty)
        #expect(sender.batches.first?.canAgree == false && receiver.batches.first?.canAgree == true)
        #expect(receiver.batches.first?.agreeURL == "/transfers/batches/2026-20-1/agree")
        #expect(sender.daysLeft == "还有 29 天")
    }
}
