import Fluent
import LeagueCore
import Vapor

/// 青年之声 for anyone: the answered questions and the form to ask, which a visitor uses to open
/// a light account with their first question.
struct VoicePublicController: RouteCollection {
    static let askToken = VisitorFormToken(cookie: "sl_voice_csrf", path: VoiceRoute.ask.url)
    /// Questions from one address in an hour (a visitor's, each opening an account).
    static let asksPerAddress = RateLimit(limit: 20, window: 3600)

    func boot(routes: any RoutesBuilder) throws {
        routes.get(VoiceRoute.answers, use: answers)
        routes.get(VoiceRoute.answer(.key), use: answer)
        routes.get(VoiceRoute.ask, use: showAsk)
        // With a photo of up to 20 MB, as every attachment.
        routes.upload(VoiceRoute.ask, maxSize: "21mb", use: ask)
    }

    @Sendable func answers(req: Request) async throws -> Response {
        try await req.publicPage {
            let typed = (try? req.query.get(String.self, at: "q")) ?? ""
            let keyword = String(typed.trimmingCharacters(in: .whitespaces).prefix(30))
            let page = Pagination.requestedPage(req)
            let found = try await VoiceQueries.published(keyword: keyword.isEmpty ? nil : keyword, page: page, on: req.db)
            return try await req.page("voice/answers", title: "青年之声", VoiceAnswersPage(
                answers: found.items.map {
                    .init(url: VoiceRoute.answer(.value($0.id ?? 0)).url, title: $0.title, category: $0.category, unitName: $0.unitName,
                          answeredAt: $0.answeredAt.map(ChinaTime.dateString) ?? "")
                }, hasAnswers: !found.items.isEmpty, keyword: keyword,
                pagination: Pagination(page: page, pageSize: VoiceQueries.pageSize, total: found.total, keep: ["q": keyword])))
        }
    }

    /// A published question without the asker's contact; their name only when they did not ask
    /// to stay anonymous, and then only its first character.
    @Sendable func answer(req: Request) async throws -> Response {
        guard let item = try await VoiceScope.published(on: req.db).filter(\.$id == (try req.id())).first() else { throw Abort(.notFound) }
        return try await req.page("voice/answer", title: item.title, VoiceAnswerPage(
            title: item.title, body: item.body, category: item.category, unitName: item.unitName,
            asker: item.anonymous ? "匿名青年" : "\(item.askerName.prefix(1))同学", askedOn: ChinaTime.dateString(item.submittedAt),
            answer: item.answer ?? "", answeredOn: item.answeredAt.map(ChinaTime.dateString) ?? ""))
    }

    private func askPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        try await Self.askToken.issue(req) { token in
            // Read inside: a visitor's blank form is served kept, without reading them.
            let categories = try await VoiceCategory.query(on: req.db).filter(\.$active == true).sort(\.$position).all()
            let districts = try await Directory.cityAndDistricts(on: req.db)
            return try await req.page("voice/ask", title: "我要提问", VoiceAskPage(csrf: token, visitor: req.actor == nil, categories: categories,
                                                                                 districts: districts, form: state), status: status)
        }
    }

    /// The number to follow the question by, and the account opened with it.
    private func askedPage(_ req: Request, _ item: VoiceItem, newAccount: String?) async throws -> Response {
        try await req.page("voice/asked", title: "提交成功", VoiceAskedPage(number: item.number, answerDue: item.answerDue, unitName: item.unitName,
                                                                       newAccount: newAccount))
    }

    @Sendable func showAsk(req: Request) async throws -> Response {
        try await askPage(req, FormState(), status: .ok)
    }

    @Sendable func ask(req: Request) async throws -> Response {
        let (fields, files) = try req.formWithFiles()
        let form = try FormFields.decode(VoiceAskForm.self, from: fields)
        var state = FormState(values: fields.filter { !VoiceAskForm.notShownAgain.contains($0.key) })
        guard Self.askToken.matches(req, sent: form.csrf) else {
            state.errors["_form"] = "页面已过期，请重新填写后提交"
            return try await askPage(req, state, status: .forbidden)
        }
        let actor = req.actor
        if actor == nil {
            let taken = try await RateCounters.take([RateCounters.Key("voice-address:" + req.clientAddress, limit: Self.asksPerAddress)],
                                                    now: req.now, writer: req.application.writer, on: req.db)
            guard taken.allowed else {
                state.errors["_form"] = "提交过于频繁，请 \(RateLimit.minutesLeft(windowEnds: taken.windowEnds, now: Int(req.now.timeIntervalSince1970))) 分钟后再试"
                return try await askPage(req, state, status: .tooManyRequests)
            }
        }
        var photo: Upload?
        do { photo = try Upload.check(files["photo"], field: "photo", allowed: [.png, .jpeg]) } catch let refusal as Refusal {
            state = refusal.filed(in: state)
        }
        guard var valid = form.validate(&state, visitor: actor == nil), state.isValid else {
            return try await askPage(req, state, status: .unprocessableEntity)
        }
        valid.question.photo = photo
        let input = valid
        let change = req.changeContext
        let today = req.today
        // A signed-in young person's question joins those asked at the same moment.
        if let actor {
            let asking = VoiceWrites.Asking(question: input.question, asker: .init(accountID: actor.accountID, name: actor.displayName),
                                            today: today, change: change)
            switch try await VoiceAskQueue.ask(asking, req) {
            case .success(let item):
                // To the question's own page, so that reloading it cannot ask the question again.
                return req.redirect(to: VoiceRoute.item(.value(item.id ?? 0)).url(query: [(VoiceSelfController.justAsked, "1")]), redirectType: .normal)
            case .failure(let refusal):
                return try await askPage(req, refusal.filed(in: state), status: .unprocessableEntity)
            }
        }
        guard let name = input.name, let username = input.username, let password = input.password else {
            return try await askPage(req, state, status: .unprocessableEntity)
        }
        let account = VoiceWrites.LightAccount(username: username, passwordHash: try await Passwords.hash(password, app: req.application), name: name)
        return try await req.submit(state, write: { db in
            try await VoiceWrites.askWithNewAccount(input.question, account: account, today: today, change, on: db)
        }, then: { (item: VoiceItem) in
            try await askedPage(req, item, newAccount: account.username)
        }, otherwise: { try await askPage(req, $0, status: .unprocessableEntity) })
    }
}
