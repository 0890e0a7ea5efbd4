import Fluent
import LeagueCore
import Vapor

/// 志愿服务 for league cadres: the overview with what awaits them, groups, projects and their
/// posts, registered volunteers with certificates, "每人认一岗" coverage and the star table.
struct VolunteerAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped("volunteering")
        admin.get(use: overview)
        admin.post("stars", use: setStars)
        admin.get("groups", use: groups)
        admin.post("groups", use: createGroup)
        admin.post("groups", ":id", "decide", use: decideGroup)
        admin.get("projects", use: projects)
        admin.post("projects", use: createProject)
        admin.get("projects", ":id", use: project)
        admin.post("projects", ":id", "decide", use: decideProject)
        admin.post("projects", ":id", "posts", use: addPosts)
        admin.get("volunteers", use: volunteers)
        admin.get("volunteers", ":id", use: volunteer)
        admin.post("volunteers", ":id", "certificates", use: issueCertificate)
        admin.get("coverage", use: coverage)
    }

    // MARK: Overview

    struct GroupRow: Encodable {
        let id: Int
        let name: String
        let parent: String
        let unit: String
        let kind: String
        let contact: String
        let status: String
        let note: String
        let canDecide: Bool
    }

    struct ProjectRow: Encodable {
        let id: Int
        let title: String
        let category: String
        let group: String
        let year: Int
        let status: String
    }

    struct OverviewPage: Encodable {
        let volunteers: Int
        let groups: Int
        let projects: Int
        let openDisputes: Int
        let pendingGroups: [GroupRow]
        let hasPendingGroups: Bool
        let pendingProjects: [ProjectRow]
        let hasPendingProjects: Bool
        let stars: String
        let canSetStars: Bool
        let form: FormState
    }

    private func overviewPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let scope = req.scope
        let groups = try await groupRows(req, try await scope.query(VolunteerGroup.self, on: req.db).filter(\.$status == .pending).all())
        let pending = try await projectRows(req, try await scope.query(VolunteerProject.self, on: req.db).filter(\.$status == .pending).all())
        let decidable = groups.filter(\.canDecide)
        return try await req.page("volunteering/index", title: "志愿服务", OverviewPage(
            volunteers: try await scope.query(Volunteer.self, on: req.db).count(),
            groups: try await scope.query(VolunteerGroup.self, on: req.db).filter(\.$status == .approved).count(),
            projects: try await scope.query(VolunteerProject.self, on: req.db).filter(\.$status == .published).count(),
            openDisputes: try await scope.query(ServiceDispute.self, on: req.db).filter(\.$status == .open).count(),
            pendingGroups: decidable, hasPendingGroups: !decidable.isEmpty, pendingProjects: pending, hasPendingProjects: !pending.isEmpty,
            stars: try await ServiceHours.starPolicy(on: req.db).hours.map(String.init).joined(separator: ","),
            canSetStars: scope.isCityWide, form: state), status: status)
    }

    @Sendable func overview(req: Request) async throws -> Response {
        try await overviewPage(req, FormState(), status: .ok)
    }

    @Sendable func setStars(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let hours = (form["stars"] ?? "").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == " " }).map { Int($0) }
        if hours.contains(where: { $0 == nil }) { state.errors["stars"] = "请填写五个整数小时，用逗号分隔" }
        let policy = StarPolicy(hours: hours.compactMap { $0 })
        return try await req.submit(state, back: { _ in "/volunteering" }, flash: { _ in "星级标准已更新" },
                                    page: { try await overviewPage(req, $0, status: .unprocessableEntity) }) { db, change in
            try await ServiceHours.setStarPolicy(policy, change, on: db)
        }
    }

    // MARK: Groups

    private func groupRows(_ req: Request, _ groups: [VolunteerGroup]) async throws -> [GroupRow] {
        let parentIDs = Set(groups.compactMap(\.parentID))
        let parents = try await VolunteerPublic.groups(parentIDs, on: req.db)
        let parentByID = Dictionary(uniqueKeysWithValues: parents.map { ($0.id!, $0) })
        let units = try await req.scope.unitNames(groups.map(\.unitID), on: req.db)
        let change = req.changeContext
        return groups.map { group in
            let parent = group.parentID.flatMap { parentByID[$0] }
            return GroupRow(id: group.id!, name: group.name, parent: parent?.name ?? "", unit: units[group.unitID] ?? "",
                            kind: group.independent ? "独立" : "挂靠", contact: group.contact, status: group.status.label,
                            note: group.decisionNote ?? "",
                            canDecide: VolunteerOrganizing.canDecide(group, parent: parent, change))
        }
    }

    struct GroupsPage: Encodable {
        let groups: [GroupRow]
        let hasGroups: Bool
        let parents: [Choice]
        let unitCode: String
        let form: FormState
    }

    private func groupsPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let groups = try await req.scope.query(VolunteerGroup.self, on: req.db).sort(\.$unitPath).sort(\.$name).range(0..<500).all()
        let approved = try await VolunteerPublic.approvedGroups(limit: 500, on: req.db)
        let actor = try req.requireActor()
        let reachable = approved.filter { req.scope.contains($0.unitPath) || $0.unitPath.contains(actor.unitPath) }
        let own = try await req.scope.organization(actor.unitID, on: req.db)
        return try await req.page("volunteering/groups", title: "志愿服务组织", GroupsPage(
            groups: try await groupRows(req, groups), hasGroups: !groups.isEmpty,
            parents: reachable.map { .init(value: String($0.id!), label: $0.name) }, unitCode: own.code, form: state), status: status)
    }

    @Sendable func groups(req: Request) async throws -> Response {
        try await groupsPage(req, FormState(), status: .ok)
    }

    @Sendable func createGroup(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let name = state.check("name") { try FormField.requiredText(form["name"], label: "组织名称", min: 2, max: 60) }
        let contact = state.check("contact") { try FormField.requiredText(form["contact"], label: "联系人及电话", max: 60) }
        let unit = try await req.scope.activeOrganization(codeOrName: form["unit"] ?? "", on: req.db)
        if unit == nil { state.errors["unit"] = "找不到该团组织，或不在您的管理范围内" }
        let parentID = form["parent"].flatMap { Int($0) }
        let independent = form["independent"] == "1"
        return try await req.submit(state, back: { _ in "/volunteering/groups" }, flash: { "已提交「\($0.name)」，等待上级审批" },
                                    page: { try await groupsPage(req, $0, status: .unprocessableEntity) }) { db, change in
            try await VolunteerOrganizing.createGroup(.init(name: name!, parentID: parentID, unitID: unit!.id!, independent: independent,
                                                            contact: contact!), change, on: db)
        }
    }

    @Sendable func decideGroup(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let note = state.check("note") { try FormField.text(form["note"], label: "审批意见", required: false, max: 200) } ?? nil
        let approve = form["decision"] == "approve"
        return try await req.submit(state, back: { _ in "/volunteering/groups" }, flash: { "「\($0.name)」\($0.status.label)" },
                                    page: { try await groupsPage(req, $0, status: .unprocessableEntity) }) { db, change in
            try await VolunteerOrganizing.decideGroup(id, approve: approve, note: note, change, on: db)
        }
    }

    // MARK: Projects

    private func projectRows(_ req: Request, _ projects: [VolunteerProject]) async throws -> [ProjectRow] {
        let groups = try await VolunteerPublic.groups(projects.map(\.groupID), on: req.db)
        let names = Dictionary(uniqueKeysWithValues: groups.map { ($0.id!, $0.name) })
        return projects.map {
            ProjectRow(id: $0.id!, title: $0.title, category: $0.category, group: names[$0.groupID] ?? "", year: $0.year, status: $0.status.label)
        }
    }

    struct ProjectsPage: Encodable {
        let projects: [ProjectRow]
        let hasProjects: Bool
        let groups: [Choice]
        let hasGroups: Bool
        let categories: [Choice]
        let districts: [Choice]
        let pagination: Pagination
        let form: FormState
    }

    private func projectsPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let query = req.scope.query(VolunteerProject.self, on: req.db)
        let pagination = Pagination(page: Pagination.requestedPage(req), pageSize: 50, total: try await query.count())
        let projects = try await query.sort(\.$year, .descending).sort(\.$id, .descending)
            .range(pagination.offset..<(pagination.offset + 50)).all()
        let groups = try await req.scope.query(VolunteerGroup.self, on: req.db).filter(\.$status == .approved).sort(\.$name).all()
        var state = state
        if state.values["year"] == nil { state.values["year"] = String(req.today.year) }
        return try await req.page("volunteering/projects", title: "志愿服务项目", ProjectsPage(
            projects: try await projectRows(req, projects), hasProjects: !projects.isEmpty,
            groups: groups.map { .init(value: String($0.id!), label: $0.name) }, hasGroups: !groups.isEmpty,
            categories: VolunteerViews.categoryOptions, districts: try await VolunteerViews.districtOptions(on: req.db),
            pagination: pagination, form: state), status: status)
    }

    @Sendable func projects(req: Request) async throws -> Response {
        try await projectsPage(req, FormState(), status: .ok)
    }

    @Sendable func createProject(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let title = state.check("title") { try FormField.requiredText(form["title"], label: "项目名称", min: 2, max: 60) }
        let summary = state.check("summary") { try FormField.requiredText(form["summary"], label: "项目简介", max: 1000) }
        let year = state.check("year") { try FormField.year(form["year"]) }
        let groupID = state.check("group") { try FormField.id(form["group"], label: "志愿服务组织") }
        let districtID = state.check("district") { try FormField.id(form["district"], label: "服务区县（市）") }
        let category = form["category"] ?? ""
        return try await req.submit(state, back: { "/volunteering/projects/\($0.id!)" }, flash: { _ in "项目已申报，等待审核发布" },
                                    page: { try await projectsPage(req, $0, status: .unprocessableEntity) }) { db, change in
            try await VolunteerOrganizing.createProject(.init(groupID: groupID!, title: title!, category: category, summary: summary!,
                                                              districtID: districtID!, year: year!), change, on: db)
        }
    }

    struct ProjectPage: Encodable {
        let id: Int
        let title: String
        let category: String
        let summary: String
        let group: String
        let year: Int
        let status: String
        let note: String
        let isPending: Bool
        let isPublished: Bool
        let canAddPosts: Bool
        let posts: [VolunteerViews.PostRow]
        let hasPosts: Bool
        let form: FormState
    }

    private func projectPage(_ req: Request, id: Int, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        guard let project = try await req.scope.query(VolunteerProject.self, on: req.db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        let group = try await VolunteerPublic.groups([project.groupID], on: req.db).first
        let posts = try await req.scope.query(VolunteerPost.self, on: req.db).filter(\.$projectID == id).sort(\.$startsAt).range(0..<500).all()
        var state = state
        if state.values["capacity"] == nil { state.values["capacity"] = "10" }
        if state.values["start"] == nil { state.values["start"] = "09:00" }
        if state.values["end"] == nil { state.values["end"] = "11:00" }
        return try await req.page("volunteering/project", title: project.title, ProjectPage(
            id: id, title: project.title, category: project.category, summary: project.summary, group: group?.name ?? "", year: project.year,
            status: project.status.label, note: project.reviewNote ?? "", isPending: project.status == .pending,
            isPublished: project.status == .published, canAddPosts: [.pending, .published].contains(project.status),
            posts: try await VolunteerViews.rows(posts, on: req.db), hasPosts: !posts.isEmpty, form: state), status: status)
    }

    @Sendable func project(req: Request) async throws -> Response {
        try await projectPage(req, id: try req.id(), FormState(), status: .ok)
    }

    @Sendable func decideProject(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let note = state.check("note") { try FormField.text(form["note"], label: "审核意见", required: false, max: 200) } ?? nil
        guard let decision = VolunteerOrganizing.ProjectDecision(rawValue: form["decision"] ?? "") else { throw Abort(.badRequest) }
        return try await req.submit(state, back: { _ in "/volunteering/projects/\(id)" }, flash: { "项目\($0.status.label)" },
                                    page: { try await projectPage(req, id: id, $0, status: .unprocessableEntity) }) { db, change in
            try await VolunteerOrganizing.decideProject(id, decision, note: note, change, on: db)
        }
    }

    @Sendable func addPosts(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let title = state.check("title") { try FormField.requiredText(form["title"], label: "岗位名称", min: 2, max: 60) }
        let place = state.check("place") { try FormField.requiredText(form["place"], label: "服务地点", max: 100) }
        let requirements = state.check("requirements") { try FormField.text(form["requirements"], label: "岗位要求", required: false, max: 500) } ?? nil
        let capacity = Int((form["capacity"] ?? "").trimmingCharacters(in: .whitespaces))
        if capacity == nil { state.errors["capacity"] = "招募人数应为整数" }
        let start = state.check("start") { try FormField.minuteOfDay(form["start"], label: "开始时间") }
        let end = state.check("end") { try FormField.minuteOfDay(form["end"], label: "结束时间") }
        var days: [CalendarDate] = []
        for text in (form["days"] ?? "").split(whereSeparator: { $0.isNewline || $0 == "," || $0 == "，" || $0 == " " }) {
            guard let day = CalendarDate(String(text)) else { state.errors["days"] = "日期「\(text)」格式应为 2026-12-05"; break }
            days.append(day)
        }
        if days.isEmpty, state.errors["days"] == nil { state.errors["days"] = "请填写服务日期" }
        let needsApproval = form["approval"] == "1"
        let new = VolunteerOrganizing.NewPosts(projectID: id, title: title ?? "", place: place ?? "", requirements: requirements ?? "",
                                               capacity: capacity ?? 0, needsApproval: needsApproval, days: Array(Set(days)).sorted(),
                                               startMinute: start ?? 0, endMinute: end ?? 0)
        return try await req.submit(state, back: { _ in "/volunteering/projects/\(id)" }, flash: { "已添加 \($0.count) 个岗位时段" },
                                    page: { try await projectPage(req, id: id, $0, status: .unprocessableEntity) }) { db, change in
            try await VolunteerOrganizing.addPosts(new, change, on: db)
        }
    }

    // MARK: Volunteers

    struct VolunteerRow: Encodable {
        let id: Int
        let number: String
        let name: String
        let idMasked: String
        let isMember: Bool
        let hours: String
        let stars: Int
    }

    struct VolunteersPage: Encodable {
        let rows: [VolunteerRow]
        let hasRows: Bool
        let q: String
        let pagination: Pagination
    }

    @Sendable func volunteers(req: Request) async throws -> Response {
        let q = ((try? req.query.get(String.self, at: "q")) ?? "").trimmingCharacters(in: .whitespaces)
        var query = req.scope.query(Volunteer.self, on: req.db)
        if !q.isEmpty {
            query = query.group(.or) { $0.filter(\.$volunteerNumber == q.uppercased()).filter(\.$name, .contains(inverse: false, .prefix), q) }
        }
        let pagination = Pagination(page: Pagination.requestedPage(req), pageSize: 50, total: try await query.count(), keep: ["q": q])
        let volunteers = try await query.sort(\.$homePath).sort(\.$name).range(pagination.offset..<(pagination.offset + 50)).all()
        let policy = try await ServiceHours.starPolicy(on: req.db)
        return try await req.page("volunteering/volunteers", title: "志愿者", VolunteersPage(
            rows: volunteers.map { VolunteerRow(id: $0.id!, number: $0.volunteerNumber, name: $0.name, idMasked: $0.idMasked,
                                                isMember: $0.memberID != nil, hours: ServiceTime.hoursText($0.totalMinutes),
                                                stars: policy.stars(minutes: $0.totalMinutes)) },
            hasRows: !volunteers.isEmpty, q: q, pagination: pagination))
    }

    struct VolunteerPage: Encodable {
        let id: Int
        let number: String
        let name: String
        let idMasked: String
        let isMember: Bool
        let hours: String
        let stars: Int
        let records: [VolunteerViews.RecordRow]
        let hasRecords: Bool
        let certificates: [Choice]
        let hasCertificates: Bool
        let form: FormState
    }

    /// A volunteer registered here, or one who signed up for a post of ours.
    private func reachableVolunteer(_ req: Request, _ id: Int) async throws -> Volunteer {
        if let own = try await req.scope.query(Volunteer.self, on: req.db).filter(\.$id == id).first() { return own }
        guard let found = try await req.scope.signedUpVolunteers([id], on: req.db)[id] else { throw Abort(.notFound) }
        return found
    }

    private func volunteerPage(_ req: Request, id: Int, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let volunteer = try await reachableVolunteer(req, id)
        let records = try await req.scope.query(ServiceRecord.self, on: req.db).filter(\.$volunteerID == id).sort(\.$servedOn, .descending)
            .range(0..<500).all()
        let certificates = try await req.scope.query(VolunteerCertificate.self, on: req.db).filter(\.$volunteerID == id).sort(\.$id, .descending).all()
        return try await req.page("volunteering/volunteer", title: volunteer.name, VolunteerPage(
            id: id, number: volunteer.volunteerNumber, name: volunteer.name, idMasked: volunteer.idMasked, isMember: volunteer.memberID != nil,
            hours: ServiceTime.hoursText(volunteer.totalMinutes),
            stars: try await ServiceHours.starPolicy(on: req.db).stars(minutes: volunteer.totalMinutes),
            records: VolunteerViews.recordRows(records), hasRecords: !records.isEmpty,
            certificates: certificates.map { .init(value: String($0.id!), label: "\($0.number)（\($0.issuedOn)，\(ServiceTime.hoursText($0.minutes)) 小时）") },
            hasCertificates: !certificates.isEmpty, form: state), status: status)
    }

    @Sendable func volunteer(req: Request) async throws -> Response {
        try await volunteerPage(req, id: try req.id(), FormState(), status: .ok)
    }

    @Sendable func issueCertificate(req: Request) async throws -> Response {
        let id = try req.id()
        _ = try await reachableVolunteer(req, id)
        let form = try req.form()
        var state = FormState(values: form)
        let person = state.check("personInCharge") { try FormField.requiredText(form["personInCharge"], label: "负责人", max: 30) }
        let contact = state.check("contact") { try FormField.phone(form["contact"], label: "联系电话") } ?? nil
        if contact == nil, state.errors["contact"] == nil { state.errors["contact"] = "请填写联系电话" }
        return try await req.submit(state, back: { "/volunteering/certificates/\($0.id!)" }, flash: { "已出具证明 \($0.number)" },
                                    page: { try await volunteerPage(req, id: id, $0, status: .unprocessableEntity) }) { db, change in
            try await Certificates.issue(.init(volunteerID: id, personInCharge: person!, contact: contact!), change, on: db)
        }
    }

    // MARK: 每人认一岗，至少做一次

    struct CoverageRow: Encodable {
        let name: String
        let memberNumber: String
        let branch: String
    }

    struct CoveragePage: Encodable {
        let unitID: Int
        let unitName: String
        let year: Int
        let members: Int
        let holding: Int
        let holdingPercent: Int
        let served: Int
        let servedPercent: Int
        let listingHolding: Bool
        let notServed: [CoverageRow]
        let hasNotServed: Bool
        let pagination: Pagination
    }

    @Sendable func coverage(req: Request) async throws -> Response {
        let unit = try await req.chosenUnit()
        let year = (try? req.query.get(Int.self, at: "year")).flatMap { (2000...2100).contains($0) ? $0 : nil } ?? req.today.year
        let (figures, covered) = try await VolunteerQueries.coverage(of: unit, year: year, scope: req.scope, on: req.db)
        let requested = Pagination.requestedPage(req)
        let listing = (try? req.query.get(String.self, at: "list")).flatMap(VolunteerQueries.Coverage.init(rawValue:)) ?? .served
        let list = try await VolunteerQueries.notCovered(of: unit, covered[listing] ?? [], scope: req.scope, limit: 50,
                                                         offset: (requested - 1) * 50, on: req.db)
        let branches = try await req.scope.unitNames(list.members.map(\.branchID), on: req.db)
        return try await req.page("volunteering/coverage", title: "每人认一岗", CoveragePage(
            unitID: unit.id!, unitName: unit.name, year: year, members: figures.members, holding: figures.holdingPost,
            holdingPercent: figures.holdingPercent, served: figures.served, servedPercent: figures.servedPercent,
            listingHolding: listing == .holding, notServed: list.members.map { CoverageRow(name: $0.name, memberNumber: $0.memberNumber, branch: branches[$0.branchID] ?? "") },
            hasNotServed: !list.members.isEmpty,
            pagination: Pagination(page: requested, pageSize: 50, total: list.total, keep: ["unit": String(unit.id!), "year": String(year),
                                                                                      "list": listing.rawValue])))
    }
}
