import Fluent
import LeagueCore
import Vapor

/// 离团: the age-28 list with its batch action, withdrawal, lapse decisions and their approval,
/// and those who have left.
struct LeavingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let leaving = routes.grouped("leaving")
        leaving.get(use: index)
        leaving.post("overage", use: overage)
        leaving.post("withdraw", use: withdraw)
        leaving.post("lapse", use: proposeLapse)
        leaving.post("requests", ":id", ":decision", use: decide)
    }

    struct PersonRow: Encodable {
        let id: Int
        let name: String
        let memberNumber: String
        let birthDate: String
        let note: String
    }

    struct RequestRow: Encodable {
        let id: Int
        let name: String
        let decidedOn: String
        let status: String
        let pending: Bool
    }

    struct Page: Encodable {
        let unitName: String
        let overage: [PersonRow]
        let hasOverage: Bool
        let requests: [RequestRow]
        let hasRequests: Bool
        let former: [PersonRow]
        let hasFormer: Bool
        let today: String
        let form: FormState
    }

    private func page(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let actor = try req.requireActor()
        let today = req.today
        let latest = MembershipAge.latestBirthDate(forAge: MembershipAge.leavingAge, on: today)
        let overage = try await req.scope.members(on: req.db).filter(\.$birthDate <= latest.description)
            .filter(\.$holdsLeaguePost == false).sort(\.$birthDate).range(0..<500).all()
        let requests = try await req.scope.query(LeavingRequest.self, on: req.db).sort(\.$id, .descending).range(0..<100).all()
        let former = try await req.scope.formerMembers(on: req.db).sort(\.$leftOn, .descending).range(0..<50).all()
        return try await req.page("leaving/index", title: "离团", Page(
            unitName: actor.unitName,
            overage: overage.map { PersonRow(id: $0.id!, name: $0.name, memberNumber: $0.memberNumber, birthDate: $0.birthDate, note: "") },
            hasOverage: !overage.isEmpty,
            requests: requests.map { RequestRow(id: $0.id!, name: $0.memberName, decidedOn: $0.decidedOn, status: $0.status.label,
                                                pending: $0.status == .pending) },
            hasRequests: !requests.isEmpty,
            former: former.map { PersonRow(id: $0.id!, name: $0.name, memberNumber: $0.memberNumber, birthDate: $0.birthDate,
                                           note: "\($0.leftReason ?? "")（\($0.leftOn ?? "")）") },
            hasFormer: !former.isEmpty, today: today.description, form: form), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await page(req, form: FormState(), status: .ok)
    }

    private func write<T: Sendable>(_ req: Request, _ state: FormState, flash: @escaping @Sendable (T) -> String,
                                    _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> T) async throws -> Response {
        try await req.submit(state, back: { _ in "/leaving" }, flash: flash, page: { state in
            try await page(req, form: state, status: .unprocessableEntity)
        }, body)
    }

    /// A member in reach named by number.
    private static func member(_ number: String?, field: String, _ change: ChangeContext, on db: any Database) async throws -> Member {
        guard let number, let member = try await change.scope.members(on: db).filter(\.$memberNumber == number).first() else {
            throw Refusal("找不到团员编号「\(number ?? "")」，或不在您的管理范围内", field: field)
        }
        return member
    }

    @Sendable func overage(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let ids = form.keys.compactMap { $0.hasPrefix("member-") ? Int($0.dropFirst(7)) : nil }
        let day = state.check("day") { try FormField.date(form["day"], label: "离团日期", required: true) } ?? nil
        if ids.isEmpty { state.errors["_form"] = "请勾选办理超龄离团的团员" }
        let today = req.today
        return try await write(req, state, flash: { (count: Int) in "已为 \(count) 名团员办理超龄离团。" }) { db, change in
            try await LeavingWrites.overage(ids, on: day!, today: today, change, on: db)
        }
    }

    @Sendable func withdraw(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let day = state.check("withdrawDay") { try FormField.date(form["withdrawDay"], label: "支部大会日期", required: true) } ?? nil
        let reason = state.check("reason") { try FormField.requiredText(form["reason"], label: "退团理由", max: 200) }
        let number = form["memberNumber"]
        let today = req.today
        return try await write(req, state, flash: { (member: Member) in "已为\(member.name)办理退团。" }) { db, change in
            let member = try await Self.member(number, field: "memberNumber", change, on: db)
            return try await LeavingWrites.withdraw(memberID: member.id!, on: day!, reason: reason!, today: today, change, on: db)
        }
    }

    @Sendable func proposeLapse(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let day = state.check("lapseDay") { try FormField.date(form["lapseDay"], label: "支部大会日期", required: true) } ?? nil
        let number = form["lapseNumber"]
        let today = req.today
        return try await write(req, state, flash: { (request: LeavingRequest) in "已将\(request.memberName)的自行脱团决定报上级审批。" }) { db, change in
            let member = try await Self.member(number, field: "lapseNumber", change, on: db)
            return try await LeavingWrites.proposeLapse(memberID: member.id!, on: day!, today: today, change, on: db)
        }
    }

    @Sendable func decide(req: Request) async throws -> Response {
        let id = try req.id()
        let approve = req.parameters.get("decision") == "approve"
        let today = req.today
        return try await write(req, FormState(), flash: { (request: LeavingRequest) in "\(request.memberName)：\(request.status.label)。" }) { db, change in
            try await LeavingWrites.decideLapse(id, approve: approve, today: today, change, on: db)
        }
    }
}
