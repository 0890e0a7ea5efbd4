import Fluent
import LeagueCore
import Vapor

/// 青年之声 for cadres: the queue of the unit and those below, each item's actions, and the
/// city's settings.
struct VoiceAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(VoiceAdminRoute.queue, use: queue)
        routes.get(VoiceAdminRoute.item(.key), use: item)
        routes.post(VoiceAdminRoute.accept(.key), use: accept)
        routes.post(VoiceAdminRoute.answer(.key), use: answer)
        routes.post(VoiceAdminRoute.pass(.key), use: pass)
        routes.get(VoiceAdminRoute.photo(.key, .key), use: photo)
        routes.get(VoiceAdminRoute.statistics, use: statistics)
        routes.get(VoiceAdminRoute.settings, use: settings)
        routes.post(VoiceAdminRoute.category, use: addCategory)
        routes.post(VoiceAdminRoute.toggleCategory(.key), use: toggleCategory)
        routes.post(VoiceAdminRoute.rule, use: setRule)
        routes.post(VoiceAdminRoute.deleteRule(.key), use: deleteRule)
        routes.post(VoiceAdminRoute.policy, use: setPolicy)
        routes.post(OutreachRoute.policy, use: setOutreachPolicy)
        routes.post(VoiceAdminRoute.calendarDay, use: addCalendarDay)
        routes.post(VoiceAdminRoute.deleteCalendarDay(.key), use: deleteCalendarDay)
    }

    @Sendable func queue(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let status = (try? req.query.get(String.self, at: "status")).flatMap(VoiceStatus.init(rawValue:)) ?? .submitted
        let page = Pagination.requestedPage(req)
        let today = req.today
        let queue = try await VoiceQueries.queue(status: status, page: page, unitID: actor.unitID, today: today, scope: req.scope, on: req.db)
        func rows(_ items: [VoiceQueries.Listed]) -> [VoiceRow] { items.map { VoiceRow($0, url: VoiceAdminRoute.item(.value($0.id)).url, today: today) } }
        return try await req.page("voice/queue", title: "青年之声", VoiceQueuePage(
            unitName: actor.unitName,
            tabs: VoiceStatus.allCases.map {
                .init(label: $0.label, url: VoiceAdminRoute.queue.url + "?status=" + $0.rawValue, count: queue.counts[$0] ?? 0, current: $0 == status)
            },
            items: rows(queue.items), hasItems: !queue.items.isEmpty, overdue: rows(queue.overdue), hasOverdue: !queue.overdue.isEmpty,
            escalated: rows(queue.escalated), hasEscalated: !queue.escalated.isEmpty,
            pagination: Pagination(page: page, pageSize: VoiceQueries.pageSize, total: queue.total, keep: ["status": status.rawValue]),
            isCity: req.scope.isCityWide))
    }

    private func itemPage(_ req: Request, _ id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let item = try await req.scope.find(VoiceItem.self, id, on: req.db)
        let below = try await VoiceQueries.unitsBelow(item, scope: req.scope, on: req.db)
        let above = try await VoiceQueries.unitAbove(item, on: req.db).map { Choice(value: String($0.id ?? 0), label: $0.name) }
        return try await req.page("voice/admin_item", title: item.title, VoiceAdminItemPage(
            item: VoiceDetail(item, hops: try await VoiceQueries.hops(of: id, on: req.db), proposals: try await OutreachQueries.proposals(builtFrom: id, scope: req.scope, on: req.db),
                               photos: try await VoiceQueries.photos(of: id, on: req.db).map { VoiceAdminRoute.photo(.value(id), .value($0)).url },
                               today: req.today),
            acceptURL: VoiceAdminRoute.accept(.value(id)).url, answerURL: VoiceAdminRoute.answer(.value(id)).url,
            passURL: VoiceAdminRoute.pass(.value(id)).url,
            unitsBelow: below.map { Choice(value: String($0.id ?? 0), label: $0.name) }, unitAbove: above, hasUnitAbove: above != nil,
            form: form), status: status)
    }

    /// The photo of an item in reach.
    @Sendable func photo(req: Request) async throws -> Response {
        let item = try await req.scope.find(VoiceItem.self, try req.id(), on: req.db)
        return try await Attachments.download(try req.id("file"), ownerType: VoiceItem.photoOwner, ownerID: item.id ?? 0, on: req.db)
    }

    @Sendable func item(req: Request) async throws -> Response {
        try await itemPage(req, try req.id(), form: FormState(), status: .ok)
    }

    /// A write on one item: back to it with a message, or the item again with the refusal.
    private func write(_ req: Request, _ id: Int, _ state: FormState, flash: @escaping @Sendable (VoiceItem) -> String,
                       _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> VoiceItem) async throws -> Response {
        try await req.submit(state, back: { _ in VoiceAdminRoute.item(.value(id)).url }, flash: flash, page: { state in
            try await itemPage(req, id, form: state, status: .unprocessableEntity)
        }, body)
    }

    @Sendable func accept(req: Request) async throws -> Response {
        let id = try req.id()
        return try await write(req, id, FormState(), flash: { "已受理，请在 \($0.answerDue) 前答复。" }) { db, change in
            try await VoiceWrites.accept(id, change, on: db)
        }
    }

    @Sendable func answer(req: Request) async throws -> Response {
        let id = try req.id()
        let (input, state) = try req.validated(VoiceAnswerForm.self)
        return try await write(req, id, state, flash: { $0.published ? "已答复，并在青年之声公开。" : "已答复。" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await VoiceWrites.answer(id, text: input.answer, publish: input.publish, change, on: db)
        }
    }

    @Sendable func pass(req: Request) async throws -> Response {
        let id = try req.id()
        let (input, state) = try req.validated(VoicePassForm.self)
        let today = req.today
        return try await req.submit(state, back: { (_: VoiceItem) in VoiceAdminRoute.queue.url }, flash: { "诉求 \($0.number) 已转\($0.unitName)办理。" },
                                    page: { try await itemPage(req, id, form: $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await VoiceWrites.pass(id, to: input.unitID, reason: input.reason, today: today, change, on: db)
        }
    }

    @Sendable func statistics(req: Request) async throws -> Response {
        let unit = try await req.chosenUnit()
        let today = req.today
        let year = (try? req.query.get(Int.self, at: "year")).flatMap { (2000...today.year).contains($0) ? $0 : nil } ?? today.year
        let report = try await VoiceStatistics.report(of: unit, year: year, today: today, on: req.db)
        let names = try await req.scope.unitNames(report.byUnit.map(\.unitID), on: req.db)
        return try await req.page("voice/statistics", title: "青年之声统计", VoiceStatisticsPage(
            unitName: unit.name, year: year, years: Array((max(2018, today.year - 4)...today.year).reversed()), unitID: unit.id ?? 0,
            total: .init(name: "合计", url: nil, report.total),
            byCategory: report.byCategory.map { .init(name: $0.name, url: nil, $0.figures) },
            byUnit: report.byUnit.map {
                .init(name: names[$0.unitID] ?? "", url: VoiceAdminRoute.statistics.url + "?unit=\($0.unitID)&year=\(year)", $0.figures)
            }))
    }

    // MARK: The city's settings

    private func settingsPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        guard req.scope.isCityWide else { throw Abort(.notFound) }
        let categories = try await VoiceCategory.query(on: req.db).sort(\.$position).all()
        let districts = try await Organization.cityAndDistricts(on: req.db)
        let rules = try await VoiceRoutingRule.query(on: req.db).sort(\.$districtID).sort(\.$id).all()
        let units = try await req.scope.unitNames(rules.map(\.unitID) + districts.compactMap(\.id), on: req.db)
        let categoryNames = Dictionary(categories.compactMap { c in c.id.map { ($0, c.name) } }, uniquingKeysWith: { a, _ in a })
        let days = try await WorkingCalendarDay.query(on: req.db).sort(\.$day, .descending).range(0..<200).all()
        return try await req.page("voice/settings", title: "青年之声设置", VoiceSettingsPage(
            categories: categories.map { .init(name: $0.name, active: $0.active, toggleURL: VoiceAdminRoute.toggleCategory(.value($0.id ?? 0)).url) },
            categoryChoices: categories.filter(\.active).map { Choice(value: String($0.id ?? 0), label: $0.name) },
            districts: districts.map { Choice(value: String($0.id ?? 0), label: $0.name) },
            rules: rules.map {
                .init(district: units[$0.districtID] ?? "", category: $0.categoryID.flatMap { categoryNames[$0] } ?? "全部类别",
                      unit: units[$0.unitID] ?? "", deleteURL: VoiceAdminRoute.deleteRule(.value($0.id ?? 0)).url)
            },
            policy: try await VoicePolicyData.policy(on: req.db),
            outreach: .init(try await OutreachScope.policy(on: req.db)),
            days: days.map { .init(day: $0.day, kind: $0.kind.label, note: $0.note, deleteURL: VoiceAdminRoute.deleteCalendarDay(.value($0.id ?? 0)).url) },
            form: form), status: status)
    }

    @Sendable func settings(req: Request) async throws -> Response {
        try await settingsPage(req, form: FormState(), status: .ok)
    }

    private func change<T: Sendable>(_ req: Request, _ state: FormState, flash: @escaping @Sendable (T) -> String,
                                     _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> T) async throws -> Response {
        try await req.submit(state, back: { _ in VoiceAdminRoute.settings.url }, flash: flash, page: { state in
            try await settingsPage(req, form: state, status: .unprocessableEntity)
        }, body)
    }

    @Sendable func addCategory(req: Request) async throws -> Response {
        let (input, state) = try req.validated(VoiceCategoryForm.self)
        return try await change(req, state, flash: { (c: VoiceCategory) in "已新增类别「\(c.name)」。" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await VoiceSettings.addCategory(input, change, on: db)
        }
    }

    @Sendable func toggleCategory(req: Request) async throws -> Response {
        let id = try req.id()
        return try await change(req, FormState(), flash: { (c: VoiceCategory) in "类别「\(c.name)」已\(c.active ? "启用" : "停用")。" }) { db, change in
            try await VoiceSettings.toggleCategory(id, change, on: db)
        }
    }

    @Sendable func setRule(req: Request) async throws -> Response {
        let (input, state) = try req.validated(VoiceRuleForm.self)
        return try await change(req, state, flash: { (_: VoiceRoutingRule) in "分派规则已保存。" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await VoiceSettings.setRule(input, change, on: db)
        }
    }

    @Sendable func deleteRule(req: Request) async throws -> Response {
        let id = try req.id()
        return try await change(req, FormState(), flash: { (_: Int) in "分派规则已删除。" }) { db, change in
            try await VoiceSettings.deleteRule(id, change, on: db)
        }
    }

    @Sendable func setPolicy(req: Request) async throws -> Response {
        let (input, state) = try req.validated(VoicePolicyForm.self)
        return try await change(req, state, flash: { (_: VoicePolicy) in "办理期限已保存，新收到的诉求按新期限计算。" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await VoiceSettings.setPolicy(input, change, on: db)
        }
    }

    @Sendable func setOutreachPolicy(req: Request) async throws -> Response {
        let (input, state) = try req.validated(OutreachPolicyForm.self)
        return try await change(req, state, flash: { (_: OutreachPolicyRow) in "面对面频次和联系青年目标已保存。" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await OutreachWrites.setPolicy(city: input.city, district: input.district, contactTarget: input.target, change, on: db)
        }
    }

    @Sendable func addCalendarDay(req: Request) async throws -> Response {
        let (input, state) = try req.validated(WorkingCalendarDayForm.self)
        return try await change(req, state, flash: { (d: WorkingCalendarDay) in "已将 \(d.day) 记为\(d.kind.label)。" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await VoiceSettings.addCalendarDay(input, change, on: db)
        }
    }

    @Sendable func deleteCalendarDay(req: Request) async throws -> Response {
        let id = try req.id()
        return try await change(req, FormState(), flash: { (day: String) in "已从工作日历删除 \(day)。" }) { db, change in
            try await VoiceSettings.deleteCalendarDay(id, change, on: db)
        }
    }
}
