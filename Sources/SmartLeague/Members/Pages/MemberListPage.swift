import Foundation
import LeagueCore

/// 团员查询 (or 超龄离团名单): the search form and a page of members, masked.
struct MemberListPage: Encodable {
    struct Row: Encodable {
        let id: Int
        let name: String
        let gender: String
        let age: Int
        let idMasked: String
        let phone: String
        let memberNumber: String
        let branchName: String
        let education: String
        let occupation: String
        let overage: Bool

        init(_ row: MemberQueries.Row, today: CalendarDate) {
            id = row.id
            name = row.name
            gender = row.gender.label
            age = CalendarDate(row.birth_date).map { MembershipAge.age(born: $0, on: today) } ?? 0
            idMasked = row.id_masked
            phone = row.phone.map(PhoneMask.mask) ?? ""
            memberNumber = row.member_number
            branchName = row.branch_name
            education = row.education.label
            occupation = row.occupation.label
            overage = age >= MembershipAge.leavingAge && !row.holds_league_post
        }
    }

    let rows: [Row]
    let pagination: Pagination
    let form: FormState
    let choices = MemberSearchChoices()
    /// The same search as a CSV file.
    let exportURL: String
    let overage: Bool

    /// - Parameter search: the search as typed, without the page number.
    init(_ rows: [MemberQueries.Row], pagination: Pagination, form: FormState, search: [String: String], overage: Bool, today: CalendarDate) {
        self.rows = rows.map { Row($0, today: today) }
        self.pagination = pagination
        self.form = form
        exportURL = MemberRoute.export.url(query: search.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        self.overage = overage
    }

    var title: String { overage ? "超龄离团名单" : "团员查询" }

    /// The columns of the export, masked as the list is.
    static let csvHeaders = ["姓名", "性别", "年龄", "民族", "身份证号", "手机", "学历", "职业", "政治面貌", "入团日期", "团员编号", "所在团支部"]

    static func csvLine(_ row: MemberQueries.Row, today: CalendarDate) -> String {
        let view = Row(row, today: today)
        return CSV.line([row.name, view.gender, String(view.age), row.ethnicity, row.id_masked, view.phone, view.education, view.occupation,
                         row.party_status.label, row.joined_on, row.member_number, row.branch_name])
    }
}
