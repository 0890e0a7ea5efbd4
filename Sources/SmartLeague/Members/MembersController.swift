import Fluent
import LeagueCore
import Vapor

/// The member registry pages: search, record, register, edit, reveal an ID number, export.
struct MembersController: RouteCollection {
    static let pageSize = 50

    func boot(routes: any RoutesBuilder) throws {
        let members = routes.grouped("members")
        members.get(use: index)
        members.get("export", use: export)
        members.get("new", use: new)
        members.post(use: create)
        members.get(":id", use: show)
        members.get(":id", "edit", use: edit)
        members.post(":id", "edit", use: update)
        members.post(":id", "reveal", use: reveal)
    }

    // MARK: Search

    struct Choices: Encodable {
        let genders = Gender.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        let educations = Education.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        let occupations = Occupation.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        let parties = PartyStatus.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        let ageBands = AgeBand.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        let sorts = MemberQueries.Sort.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        let ethnicities = Ethnicity.all
    }

    struct RowView: Encodable {
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

    struct IndexPage: Encodable {
        let rows: [RowView]
        let pagination: Pagination
        let form: FormState
        let choices = Choices()
        let exportQuery: String
        let overage: Bool
    }

    /// Reads the search form from the address; a wrong field gets its message and matches nothing.
    static func filter(_ req: Request) async throws -> (MemberQueries.Filter, FormState, [String: String]) {
        let query = ((try? req.query.decode([String: String].self)) ?? [:]).filter { !$0.value.isEmpty }
        var state = FormState(values: query)
        var filter = MemberQueries.Filter()
        filter.namePrefix = state.check("q") { try FormField.text(query["q"], label: "姓名", required: false, max: 30) } ?? nil
        filter.memberNumber = state.check("number") { try FormField.text(query["number"], label: "团员编号", required: false, max: 20) } ?? nil
        filter.phone = state.check("phone") { try FormField.text(query["phone"], label: "手机", required: false, max: 20) } ?? nil
        if let raw = query["idNumber"] {
            switch ResidentID.parse(raw, today: req.today) {
            case .success(let id): filter.idHash = req.application.vault.hash(id.value)
            case .failure(let problem): state.errors["idNumber"] = problem.message
            }
        }
        if let key = query["unit"] {
            if let unit = try await req.scope.activeOrganization(codeOrName: key, on: req.db) {
                filter.unitPath = unit.path
            } else {
                state.errors["unit"] = "找不到该组织，或它不在您的管理范围内"
            }
        }
        func choice<T: RawRepresentable>(_ key: String, _ make: (String) -> T?) -> T? where T.RawValue == String {
            guard let raw = query[key] else { return nil }
            guard let value = make(raw) else { state.errors[key] = "请从列表中选择"; return nil }
            return value
        }
        filter.ageBand = choice("age") { AgeBand(rawValue: $0) }
        filter.gender = choice("gender") { Gender(rawValue: $0) }
        filter.education = choice("education") { Education(rawValue: $0) }
        filter.occupation = choice("occupation") { Occupation(rawValue: $0) }
        filter.sort = choice("sort") { MemberQueries.Sort(rawValue: $0) } ?? .name
        filter.descending = query["dir"] == "desc"
        filter.overageOnly = query["overage"] == "1"
        let keep = query.filter { $0.key != "page" }
        return (filter, state, keep)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let (filter, state, keep) = try await Self.filter(req)
        let today = req.today
        var components = URLComponents()
        components.queryItems = keep.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        let exportQuery = components.percentEncodedQuery ?? ""
        guard state.isValid else {
            return try await req.page("members/index", title: "团员查询", IndexPage(
                rows: [], pagination: Pagination(page: 1, pageSize: Self.pageSize, total: 0), form: state,
                exportQuery: exportQuery, overage: filter.overageOnly), status: .unprocessableEntity)
        }
        let total = try await MemberQueries.count(filter, scope: req.scope, today: today, on: req.db)
        let pagination = Pagination(page: Pagination.requestedPage(req), pageSize: Self.pageSize, total: total, keep: keep)
        let rows = try await MemberQueries.rows(filter, scope: req.scope, today: today, limit: Self.pageSize,
                                                offset: pagination.offset, on: req.db)
        return try await req.page("members/index", title: filter.overageOnly ? "超龄离团名单" : "团员查询", IndexPage(
            rows: rows.map { RowView($0, today: today) }, pagination: pagination, form: state,
            exportQuery: exportQuery, overage: filter.overageOnly))
    }

    /// The same search as a CSV file that Excel opens in Chinese, masked, streamed page by page.
    @Sendable func export(req: Request) async throws -> Response {
        let (filter, state, _) = try await Self.filter(req)
        guard state.isValid else { throw Abort(.badRequest, reason: "查询条件有误，请返回修改后再导出") }
        let today = req.today
        let scope = req.scope
        let db = req.db
        let headers = ["姓名", "性别", "年龄", "民族", "身份证号", "手机", "学历", "职业", "政治面貌", "入团日期", "团员编号", "所在团支部"]
        try await req.application.writer.write(req.db) { db in
            try await Audit.record(on: db, actor: req.auditActor, at: req.now,
                                   unit: AuditUnit(id: req.actor?.unitID, path: try req.requireActor().unitPath),
                                   action: "member.export", entityType: "member", entityID: "",
                                   summary: "导出团员名单（已脱敏）")
        }
        let response = Response(status: .ok, body: .init(asyncStream: { writer in
            do {
                try await writer.write(.buffer(ByteBuffer(string: CSV.byteOrderMark + CSV.line(headers))))
                var offset = 0
                while true {
                    let rows = try await MemberQueries.rows(filter, scope: scope, today: today, limit: 2000, offset: offset, on: db)
                    var chunk = ""
                    for row in rows {
                        let view = RowView(row, today: today)
                        chunk += CSV.line([row.name, view.gender, String(view.age), row.ethnicity, row.id_masked, view.phone,
                                           view.education, view.occupation, row.party_status.label, row.joined_on,
                                           row.member_number, row.branch_name])
                    }
                    if !chunk.isEmpty { try await writer.write(.buffer(ByteBuffer(string: chunk))) }
                    if rows.count < 2000 { break }
                    offset += rows.count
                }
                try await writer.write(.end)
            } catch {
                try? await writer.write(.error(error))
            }
        }))
        response.markAsCSV(fileName: "members.csv", chineseName: "团员名单.csv")
        return response
    }

    // MARK: One record

    struct Detail: Encodable {
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
    }

    private func detail(_ member: Member, branch: Organization, today: CalendarDate, fullID: String?) -> Detail {
        Self.detail(member, branchID: branch.id!, branchName: branch.name, today: today, fullID: fullID)
    }

    static func detail(_ member: Member, branchID: Int, branchName: String, today: CalendarDate, fullID: String?) -> Detail {
        let age = CalendarDate(member.birthDate).map { MembershipAge.age(born: $0, on: today) } ?? 0
        return Detail(id: member.id!, name: member.name, gender: member.gender.label, ethnicity: member.ethnicity,
                      idNumber: fullID ?? member.idMasked, revealed: fullID != nil, birthDate: member.birthDate, age: age,
                      overage: age >= MembershipAge.leavingAge && !member.holdsLeaguePost,
                      phone: member.phone.map(PhoneMask.mask) ?? "", education: member.education.label,
                      occupation: member.occupation.label, partyStatus: member.partyStatus.label, joinedOn: member.joinedOn,
                      memberNumber: member.memberNumber, developmentNumber: member.developmentNumber ?? "",
                      branchID: branchID, branchName: branchName, holdsLeaguePost: member.holdsLeaguePost)
    }

    struct ShowPage: Encodable {
        let member: Detail
        /// A volunteer registration made with this member's number, not yet taken up.
        let unlinkedVolunteer: String?
    }

    private func showPage(_ req: Request, _ member: Member, fullID: String?) async throws -> Response {
        let branch = try await req.scope.organization(member.branchID, on: req.db)
        let unlinked = try await VolunteerIdentity.unlinkedRegistration(of: member, on: req.db)
        return try await req.page("members/show", title: member.name,
                                  ShowPage(member: detail(member, branch: branch, today: req.today, fullID: fullID),
                                           unlinkedVolunteer: unlinked.map { "\($0.volunteerNumber)，\(ChinaTime.dateString($0.registeredAt)) 注册" }))
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await showPage(req, try await req.scope.member(try req.id(), on: req.db), fullID: nil)
    }

    @Sendable func reveal(req: Request) async throws -> Response {
        let id = try req.id()
        let change = req.changeContext
        let vault = req.application.vault
        let (member, number) = try await req.application.writer.write(req.db) { db in
            try await MemberWrites.reveal(id, vault: vault, change, on: db)
        }
        return try await showPage(req, member, fullID: number)
    }

    // MARK: Register and edit

    struct FormPage: Encodable {
        let memberID: Int?
        let form: FormState
        let choices = Choices()
    }

    @Sendable func new(req: Request) async throws -> Response {
        var values = ["ethnicity": "汉族", "partyStatus": PartyStatus.none.rawValue]
        if let id = try? req.query.get(Int.self, at: "branch"), let unit = try? await req.scope.activeOrganization(id, on: req.db) {
            values["branch"] = unit.code
        }
        return try await req.page("members/form", title: "登记团员", FormPage(memberID: nil, form: FormState(values: values)))
    }

    /// Parses the form and resolves the branch by code or name within the caller's scope.
    private func parse(_ req: Request, _ form: [String: String]) async throws -> (MemberDraft?, Int?, FormState) {
        var state = FormState(values: form)
        var draft: MemberDraft?
        switch MemberFields.parse(form, today: req.today) {
        case .success(let parsed): draft = parsed
        case .failure(let problems): state.errors.merge(problems.messages) { first, _ in first }
        }
        var branchID: Int?
        if let key = state.check("branch", { try FormField.requiredText(form["branch"], label: "所在团支部（代码或全称）", max: 60) }) {
            branchID = try await req.scope.activeOrganization(codeOrName: key, on: req.db)?.id
            if branchID == nil { state.errors["branch"] = "找不到该团支部，或它不在您的管理范围内" }
        }
        return (draft, branchID, state)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (draft, branchID, state) = try await parse(req, try req.form())
        let vault = req.application.vault
        let change = req.changeContext
        return try await req.submit(state, write: { db in
            try await MemberWrites.create(draft!, branchID: branchID, vault: vault, change, on: db)
        }, then: { member in
            try await req.redirect(to: "/members/\(member.id!)", flash: "已登记团员 \(member.name)。")
        }, otherwise: { state in
            try await req.page("members/form", title: "登记团员", FormPage(memberID: nil, form: state), status: .unprocessableEntity)
        })
    }

    @Sendable func edit(req: Request) async throws -> Response {
        let member = try await req.scope.member(try req.id(), on: req.db)
        let branch = try await req.scope.organization(member.branchID, on: req.db)
        // The ID number is not put back into the form: it is typed again only to correct it.
        let values = ["name": member.name, "gender": member.gender.rawValue, "ethnicity": member.ethnicity,
                      "phone": member.phone ?? "", "education": member.education.rawValue,
                      "occupation": member.occupation.rawValue, "partyStatus": member.partyStatus.rawValue,
                      "joinedOn": member.joinedOn, "memberNumber": member.memberNumber,
                      "developmentNumber": member.developmentNumber ?? "", "branch": branch.code,
                      "holdsLeaguePost": member.holdsLeaguePost ? "1" : "", "idMasked": member.idMasked]
        return try await req.page("members/form", title: "修改团员信息", FormPage(memberID: member.id, form: FormState(values: values)))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let member = try await req.scope.member(try req.id(), on: req.db)
        let id = member.id!
        var form = try req.form()
        // An empty ID field keeps the stored number.
        if (form["residentID"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            form["residentID"] = try req.application.vault.open(member.idSealed)
        }
        let (draft, branchID, parsed) = try await parse(req, form)
        var state = parsed
        state.values["residentID"] = ""
        state.values["idMasked"] = member.idMasked
        let vault = req.application.vault
        let change = req.changeContext
        return try await req.submit(state, write: { db in
            try await MemberWrites.update(id, draft!, branchID: branchID, vault: vault, change, on: db)
        }, then: { member in
            try await req.redirect(to: "/members/\(member.id!)", flash: "团员信息已保存。")
        }, otherwise: { state in
            try await req.page("members/form", title: "修改团员信息", FormPage(memberID: id, form: state), status: .unprocessableEntity)
        })
    }
}
