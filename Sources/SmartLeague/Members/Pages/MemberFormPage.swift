import LeagueCore

/// 登记团员 or 修改团员信息: the record as a form.
struct MemberFormPage: Encodable {
    let memberID: Int?
    let action: String
    let form: FormState
    let choices = MemberChoices()

    init(memberID: Int?, form: FormState) {
        self.memberID = memberID
        action = memberID.map { MemberRoute.update(.value($0)).url } ?? MemberRoute.create.url
        self.form = form
    }

    var title: String { memberID == nil ? "登记团员" : "修改团员信息" }

    /// A new record starts as most are: 汉族, no Party standing, in the branch the link names.
    static func blank(branchCode: String?) -> FormState {
        var values = ["ethnicity": "汉族", "partyStatus": PartyStatus.none.rawValue]
        values["branch"] = branchCode
        return FormState(values: values)
    }

    /// A record to correct. The ID number is not put back: it is typed again only to correct it.
    static func values(of member: Member, branchCode: String) -> FormState {
        FormState(values: [
            "name": member.name, "gender": member.gender.rawValue, "ethnicity": member.ethnicity, "phone": member.phone ?? "",
            "education": member.education.rawValue, "occupation": member.occupation.rawValue, "partyStatus": member.partyStatus.rawValue,
            "joinedOn": member.joinedOn, "memberNumber": member.memberNumber, "developmentNumber": member.developmentNumber ?? "",
            "branch": branchCode, "holdsLeaguePost": member.holdsLeaguePost ? "1" : "", "idMasked": member.idMasked,
        ])
    }
}
