import Fluent
import LeagueCore
import Vapor

/// 两制: how far the branches of a unit have got with the year's review and registration, and
/// each branch's review.
struct ReviewController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ReviewRoute.progress, use: progress)
        routes.post(ReviewRoute.open, use: open)
        routes.get(ReviewRoute.show(.key), use: show)
        routes.post(ReviewRoute.submit(.key), use: submit)
        routes.post(ReviewRoute.approve(.key), use: approve)
    }

    private func progressPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let unit = try await req.chosenUnit()
        let thisYear = req.today.year
        let year = (try? req.query.get(Int.self, at: "year")).flatMap { (2000...thisYear).contains($0) ? $0 : nil } ?? thisYear
        let progress = try await ReviewQueries.progress(under: unit, year: year, page: Pagination.requestedPage(req), scope: req.scope,
                                                        typeCounts: req.application.unitTypeCounts, on: req.db)
        return try await req.page("reviews/progress", title: "团员教育评议", ReviewProgressPage(progress, form: form), status: status)
    }

    @Sendable func progress(req: Request) async throws -> Response {
        try await progressPage(req, form: FormState(), status: .ok)
    }

    @Sendable func open(req: Request) async throws -> Response {
        let (input, state) = try req.validated(OpenReviewForm.self)
        return try await req.submit(state, back: { (review: BranchReview) in ReviewRoute.show(.value(review.id ?? 0)).url },
                                    flash: { review in "已开始 \(review.year) 年度评议。" }, page: { state in
            try await progressPage(req, form: state, status: .unprocessableEntity)
        }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await ReviewWrites.open(branchID: input.branchID ?? -1, year: input.year, change, on: db)
        }
    }

    private func showPage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let detail = try await ReviewQueries.review(id, scope: req.scope, on: req.db)
        return try await req.page("reviews/show", title: "团员教育评议", ReviewPage(detail, scope: req.scope, today: req.today, form: form),
                                  status: status)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await showPage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let id = try req.id()
        let (input, state) = try req.validated(ReviewResultForm.self)
        let today = req.today
        return try await req.submit(state, back: { _ in ReviewRoute.show(.value(id)).url }, flash: { _ in "评议结果已提交上级审批。" },
                                    page: { state in
            try await showPage(req, id: id, form: state, status: .unprocessableEntity)
        }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await ReviewWrites.submit(id, meetingOn: input.meetingOn, present: input.present, ratings: input.ratings, today: today,
                                                 change, on: db)
        }
    }

    @Sendable func approve(req: Request) async throws -> Response {
        let id = try req.id()
        return try await req.submit(FormState(), back: { _ in ReviewRoute.show(.value(id)).url },
                                    flash: { approved in "已审批，\(approved.1) 名团员完成团籍注册。" }, page: { state in
            try await showPage(req, id: id, form: state, status: .unprocessableEntity)
        }) { db, change in
            try await ReviewWrites.approve(id, change, on: db)
        }
    }
}
