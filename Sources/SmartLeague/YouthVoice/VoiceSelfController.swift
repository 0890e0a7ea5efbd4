import Fluent
import LeagueCore
import Vapor

/// The asker's own questions: follow them, read the answer, rate it, reopen once.
struct VoiceSelfController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(VoiceRoute.mine, use: mine)
        routes.get(VoiceRoute.item(.key), use: item)
        routes.post(VoiceRoute.rate(.key), use: rate)
        routes.get(VoiceRoute.photo(.key, .key), use: photo)
    }

    @Sendable func mine(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let today = req.today
        let items = try await VoiceQueries.mine(accountID: actor.accountID, on: req.db)
        return try await req.page("voice/mine", title: "我的提问", VoiceMinePage(
            items: items.map { VoiceRow($0, url: VoiceRoute.item(.value($0.id)).url, today: today) }, hasItems: !items.isEmpty))
    }

    private func itemPage(_ req: Request, _ id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let actor = try req.requireActor()
        guard let item = try await VoiceScope.asked(by: actor.accountID, on: req.db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        let policy = try await VoicePolicyData.policy(on: req.db)
        let hops = try await VoiceQueries.hops(of: id, on: req.db)
        return try await req.page("voice/item", title: item.title, VoiceMineItemPage(
            item: VoiceDetail(item, hops: hops, proposals: try await OutreachScope.proposals(builtFrom: id, on: req.db),
                              photos: try await VoiceQueries.photos(of: id, on: req.db).map { VoiceRoute.photo(.value(id), .value($0)).url }, today: req.today,
                              forAsker: true), rateURL: VoiceRoute.rate(.value(id)).url,
            canReopen: item.reopened < policy.reopenLimit, ratings: VoiceRating.allCases.map { Choice(value: $0.rawValue, label: $0.label) }, form: form,
            justAsked: req.query[String.self, at: Self.justAsked] == "1" && item.status == .submitted), status: status)
    }

    /// The query key of the page a question was asked into, which then says it was received.
    static let justAsked = "asked"

    @Sendable func item(req: Request) async throws -> Response {
        try await itemPage(req, try req.id(), form: FormState(), status: .ok)
    }

    /// The photo of one of the asker's own questions.
    @Sendable func photo(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.id()
        guard try await VoiceScope.asked(by: actor.accountID, on: req.db).filter(\.$id == id).count() == 1 else { throw Abort(.notFound) }
        return try await Attachments.download(try req.id("file"), ownerType: VoiceItem.photoOwner, ownerID: id, on: req.db)
    }

    @Sendable func rate(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.id()
        let (input, state) = try req.validated(VoiceRatingForm.self)
        let today = req.today
        return try await req.submit(state, back: { (_: VoiceItem) in VoiceRoute.item(.value(id)).url }, flash: { item in
            item.status == .accepted ? "已要求重新办理，\(item.unitName)将在 \(item.answerDue) 前再次答复。" : "感谢您的评价。"
        }, page: { try await itemPage(req, id, form: $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请选择评价") }
            return try await VoiceWrites.rate(id, input.rating, reopen: input.reopen, askerAccountID: actor.accountID, today: today, change, on: db)
        }
    }
}
