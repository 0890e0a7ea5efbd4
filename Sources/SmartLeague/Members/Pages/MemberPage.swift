import Foundation
import LeagueCore

/// One member's record, the ID number masked unless just revealed.
struct MemberPage: Encodable {
    /// A record as the registry and the member's own home page show it.
    struct Record: Encodable {
        let id: Int
        let name: String
        let gender: String
        let ethnicity: String
        let idNumber: String
        let revealed: Bool
        let birthDate: String
        let age: Int
        let overage: Bool
        let phone: String
        let education: String
        let occupation: String
        let partyStatus: String
        let joinedOn: String
        let memberNumber: String
        let developmentNumber: String
        let branchID: Int
        let branchName: String
        let holdsLeaguePost: Bool

        /// - Parameter fullID: the opened ID number, shown instead of the masked one.
        init(_ member: Member, branchID: Int, branchName: String, today: CalendarDate, fullID: String?) {
            let age = CalendarDate(member.birthDate).map { MembershipAge.age(born: $0, on: today) } ?? 0
            id = member.id ?? 0
            name = member.name
            gender = member.gender.label
            ethnicity = member.ethnicity
            idNumber = fullID ?? member.idMasked
            revealed = fullID != nil
            birthDate = member.birthDate
            self.age = age
            overage = age >= MembershipAge.leavingAge && !member.holdsLeaguePost
            phone = member.phone.map(PhoneMask.mask) ?? ""
            education = member.education.label
            occupation = member.occupation.label
            partyStatus = member.partyStatus.label
            joinedOn = member.joinedOn
            memberNumber = member.memberNumber
            developmentNumber = member.developmentNumber ?? ""
            self.branchID = branchID
            self.branchName = branchName
            holdsLeaguePost = member.holdsLeaguePost
        }
    }

    let member: Record
    /// A volunteer registration made with this member's number, not yet taken up.
    let unlinkedVolunteer: String?

    init(_ detail: MemberQueries.Detail, today: CalendarDate, fullID: String?) {
        member = Record(detail.member, branchID: detail.branch.id ?? 0, branchName: detail.branch.name, today: today, fullID: fullID)
        unlinkedVolunteer = detail.unlinkedVolunteer.map { "\($0.volunteerNumber)，\(ChinaTime.dateString($0.registeredAt)) 注册" }
    }
}
