import LeagueCore

/// 离团: the age-28 list, the forms for withdrawal and lapse, lapse decisions awaiting approval,
/// and those who have left.
struct LeavingPage: Encodable {
    struct PersonRow: Encodable {
        let id: Int
        let name: String
        let memberNumber: String
        let birthDate: String
        let note: String
    }

    struct RequestRow: Encodable {
        let approveURL: String
        let refuseURL: String
        let name: String
        let decidedOn: String
        let status: String
        let pending: Bool
    }

    let unitName: String
    let overage: [PersonRow]
    let hasOverage: Bool
    /// The list shows the oldest `overageShown`; the member list has them all.
    let overageIsCut: Bool
    let overageShown: Int
    let requests: [RequestRow]
    let hasRequests: Bool
    let former: [PersonRow]
    let hasFormer: Bool
    let today: String
    let form: FormState

    init(_ list: LeavingQueries.List, unitName: String, today: CalendarDate, form: FormState) {
        self.unitName = unitName
        overage = list.overage.map { PersonRow(id: $0.id, name: $0.name, memberNumber: $0.member_number, birthDate: $0.birth_date, note: "") }
        hasOverage = !overage.isEmpty
        overageShown = LeavingQueries.overageShown
        overageIsCut = overage.count >= LeavingQueries.overageShown
        requests = list.requests.map {
            let id = $0.id
            return RequestRow(approveURL: LeavingRoute.decide(.value(id), "approve").url, refuseURL: LeavingRoute.decide(.value(id), "refuse").url,
                              name: $0.memberName, decidedOn: $0.decidedOn, status: $0.status.label, pending: $0.status == .pending)
        }
        hasRequests = !requests.isEmpty
        former = list.former.map {
            PersonRow(id: $0.id, name: $0.name, memberNumber: $0.memberNumber, birthDate: $0.birthDate,
                      note: "\($0.leftReason ?? "")（\($0.leftOn ?? "")）")
        }
        hasFormer = !former.isEmpty
        self.today = today.description
        self.form = form
    }
}
