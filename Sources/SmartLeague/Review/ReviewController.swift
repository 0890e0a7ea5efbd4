import Fluent
import LeagueCore
import Vapor

/// 两制: how far the branches of a unit have got with the year's review and registration, and
/// each branch's review.
struct ReviewController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let reviews = routes.grouped("reviews")
        reviews.get(use: progress)
        reviews.post(use: open)
        reviews.get(":id", use: show)
        reviews.post(":id", "submit", use: submit)
        reviews.post(":id", "approve", use: approve)
    }

    struct BranchRow: Encodable {
        let name: String
        let status: String
        let reviewID: Int?
    }

    struct StatusCount: Encodable {
        let label: String
        let count: Int
    }

    struct ProgressPage: Encodable {
        let unitID: Int
        let unitName: String
        let year: Int
        let isBranch: Bool
        let counts: [StatusCount]
        let rows: [BranchRow]
        let hasRows: Bool
        let pagination: Pagination
        let form: FormState
    }

    private func progressPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let unit = try await req.chosenUnit()
        let thisYear = req.today.year
        let year = (try? req.query.get(Int.self, at: "year")).flatMap { (2000...thisYear).contains($0) ? $0 : nil } ?? thisYear
        let within = Scope(reach: .subtree(unit.path))
        let branches = try await within.within(req.scope.organizations(on: req.db), \Organization.$path).filter(\.$status == .active)
            .filter(\.$type ~~ OrganizationType.allCases.filter(\.isBranch)).sort(\.$path).all()
        let reviews = try await within.within(req.scope.query(BranchReview.self, on: req.db), \BranchReview.$branchPath)
            .filter(\.$year == year).all()
        let byBranch = Dictionary(uniqueKeysWithValues: reviews.map { ($0.branchID, $0) })
        let pagination = Pagination(page: Pagination.requestedPage(req), pageSize: 50, total: branches.count,
                                    keep: ["unit": String(unit.id!), "year": String(year)])
        return try await req.page("reviews/progress", title: "团员教育评议", ProgressPage(
            unitID: unit.id!, unitName: unit.name, year: year, isBranch: unit.type.isBranch,
            counts: [StatusCount(label: "未开始", count: branches.count - reviews.count)]
                + BranchReview.Status.allCases.map { status in StatusCount(label: status.label, count: reviews.filter { $0.status == status }.count) },
            rows: branches.dropFirst(pagination.offset).prefix(pagination.pageSize).map { branch in
                BranchRow(name: branch.name, status: byBranch[branch.id!]?.status.label ?? "未开始", reviewID: byBranch[branch.id!]?.id)
            },
            hasRows: !branches.isEmpty, pagination: pagination, form: form), status: status)
    }

    @Sendable func progress(req: Request) async throws -> Response {
        try await progressPage(req, form: FormState(), status: .ok)
    }

    @Sendable func open(req: Request) async throws -> Response {
        let form = try req.form()
        let branch = Int(form["branch"] ?? "") ?? -1
        let thisYear = req.today.year
        let year = Int(form["year"] ?? "").flatMap { (thisYear - 1...thisYear).contains($0) ? $0 : nil } ?? thisYear
        let change = req.changeContext
        return try await req.submit(FormState(values: form), write: { db in
            try await ReviewWrites.open(branchID: branch, year: year, change, on: db)
        }, then: { review in
            try await req.redirect(to: "/reviews/\(review.id!)", flash: "已开始 \(year) 年度评议。")
        }, otherwise: { state in
            try await progressPage(req, form: state, status: .unprocessableEntity)
        })
    }

    struct RatingRow: Encodable {
        let memberID: Int
        let name: String
        let rating: String
        let ratingLabel: String
        let registered: Bool
    }

    struct ShowPage: Encodable {
        let id: Int
        let year: Int
        let branchName: String
        let status: String
        let members: Int
        let present: String
        let meetingOn: String
        let excellentCap: Int
        let rows: [RatingRow]
        let options: [Choice]
        let canSubmit: Bool
        let canApprove: Bool
        let form: FormState
    }

    private func showPage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let review = try await ReviewWrites.review(id, req.changeContext, on: req.db)
        let branch = try await req.scope.organization(review.branchID, on: req.db)
        let rows = try await MemberRating.query(on: req.db).filter(\.$reviewID == id).sort(\.$memberName).all()
        let typed = !form.values.isEmpty
        return try await req.page("reviews/show", title: "团员教育评议", ShowPage(
            id: id, year: review.year, branchName: branch.name, status: review.status.label, members: review.members,
            present: typed ? form.values["present"] ?? "" : review.present.map(String.init) ?? "",
            meetingOn: typed ? form.values["meetingOn"] ?? "" : review.meetingOn ?? req.today.description,
            excellentCap: ReviewRules.excellentCap(reviewed: rows.count),
            rows: rows.map { row in
                let chosen = typed ? form.values["rating-\(row.memberID)"] ?? "" : row.rating?.rawValue ?? ""
                return RatingRow(memberID: row.memberID, name: row.memberName, rating: chosen,
                                 ratingLabel: ReviewRating(rawValue: chosen)?.label ?? "", registered: row.registered)
            },
            options: ReviewRating.allCases.map { .init(value: $0.rawValue, label: $0.label) },
            canSubmit: review.status == .draft && req.scope.root == branch.path,
            canApprove: review.status == .submitted && req.scope.isStrictlyAbove(branch), form: form), status: status)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await showPage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let meetingOn = state.check("meetingOn") { try FormField.date(form["meetingOn"], label: "评议会日期", required: true) } ?? nil
        let present = Int(form["present"] ?? "")
        if present == nil || present! < 0 { state.errors["present"] = "实到人数应为非负整数" }
        var ratings: [Int: ReviewRating] = [:]
        for (key, value) in form where key.hasPrefix("rating-") {
            if let member = Int(key.dropFirst(7)), let rating = ReviewRating(rawValue: value) { ratings[member] = rating }
        }
        let change = req.changeContext
        let today = req.today
        return try await req.submit(state, write: { [ratings] db in
            try await ReviewWrites.submit(id, meetingOn: meetingOn!, present: present!, ratings: ratings, today: today, change, on: db)
        }, then: { _ in
            try await req.redirect(to: "/reviews/\(id)", flash: "评议结果已提交上级审批。")
        }, otherwise: { state in
            try await showPage(req, id: id, form: state, status: .unprocessableEntity)
        })
    }

    @Sendable func approve(req: Request) async throws -> Response {
        let id = try req.id()
        let change = req.changeContext
        return try await req.submit(FormState(), write: { db in
            try await ReviewWrites.approve(id, change, on: db)
        }, then: { _, registered in
            try await req.redirect(to: "/reviews/\(id)", flash: "已审批，\(registered) 名团员完成团籍注册。")
        }, otherwise: { state in
            try await showPage(req, id: id, form: state, status: .unprocessableEntity)
        })
    }
}
