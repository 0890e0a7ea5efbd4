import Fluent
import LeagueCore
import SQLKit
import Vapor

/// 团费: totals of a unit by month and by child, a branch's members with their dues and arrears,
/// the treasurer's records, and the city's table.
struct DuesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let dues = routes.grouped("dues")
        dues.get(use: totals)
        dues.get("branches", ":id", use: branch)
        dues.post("branches", ":id", "profile", use: setProfile)
        dues.post("branches", ":id", "payments", use: record)
        dues.post("policy", use: setPolicy)
    }

    struct MonthRow: Encodable {
        let month: String
        let amount: String
        let count: Int
    }

    struct ChildRow: Encodable {
        let id: Int
        let name: String
        let amount: String
        let isBranch: Bool
    }

    struct PolicyView: Encodable {
        let flat: String
        let farmer: String
        let lowIncome: String
        let threshold: String
        let perMille: Int
        let cap: String
    }

    struct TotalsPage: Encodable {
        let unitID: Int
        let unitName: String
        let month: String
        let months: [MonthRow]
        let children: [ChildRow]
        let policy: PolicyView
        let canSetPolicy: Bool
        let form: FormState
    }

    struct Sum: Decodable {
        let key: String
        let total: Int
        let n: Int
    }

    /// Sums by a key in the unit's range (one sum without a key); the SUM is cast so that
    /// PostgreSQL answers an integer.
    static func sums(_ key: SQLColumn?, under unit: Organization, month: String?, scope: Scope,
                     on db: any Database) async throws -> [Sum] {
        var select = db.sql.select().column(key ?? SQLLiteral.string("all"), as: "key")
            .column(SQLRaw("CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT)"), as: "total")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(DuesPayment.schema)
            .where("branch_path", .greaterThanOrEqual, SQLBind(unit.path.subtreeLowerBound))
            .where("branch_path", .lessThan, SQLBind(unit.path.subtreeUpperBound))
        if let month { select = select.where("month", .equal, SQLBind(month)) }
        if let key { select = select.groupBy(key) }
        return try await scope.restrict(select, paths: [SQLColumn("branch_path")]).all(decoding: Sum.self)
    }

    static func policyView(_ policy: DuesPolicy) -> PolicyView {
        PolicyView(flat: Money.yuan(policy.flatFen), farmer: Money.yuan(policy.farmerFen), lowIncome: Money.yuan(policy.lowIncomeFen),
                   threshold: Money.yuan(policy.thresholdFen), perMille: policy.perMille, cap: Money.yuan(policy.capFen))
    }

    private func totalsPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let unit = try await req.chosenUnit()
        let today = req.today
        let month = (try? req.query.get(String.self, at: "month")).flatMap { CalendarDate("\($0)-01") != nil ? $0 : nil }
            ?? DuesMonths.month(of: today)
        let byMonth = try await Self.sums(SQLColumn("month"), under: unit, month: nil, scope: req.scope, on: req.db)
            .sorted { $0.key > $1.key }.prefix(12)
        // Each child's total for the month: the child is the path segment right below the unit.
        let children = try await req.scope.organizations(on: req.db).filter(\.$parentID == unit.id!).filter(\.$status == .active)
            .sort(\.$code).range(0..<500).all()
        var childTotals: [Int: Int] = [:]
        for child in children {
            childTotals[child.id!] = try await Self.sums(nil, under: child, month: month, scope: req.scope, on: req.db)
                .first?.total ?? 0
        }
        return try await req.page("dues/totals", title: "团费", TotalsPage(
            unitID: unit.id!, unitName: unit.name, month: month,
            months: byMonth.map { MonthRow(month: $0.key, amount: Money.yuan($0.total), count: $0.n) },
            children: children.map { ChildRow(id: $0.id!, name: $0.name, amount: Money.yuan(childTotals[$0.id!] ?? 0), isBranch: $0.type.isBranch) },
            policy: Self.policyView(try await DuesWrites.policy(on: req.db)), canSetPolicy: req.scope.isCityWide, form: form), status: status)
    }

    @Sendable func totals(req: Request) async throws -> Response {
        try await totalsPage(req, form: FormState(), status: .ok)
    }

    struct MemberRow: Encodable {
        let id: Int
        let name: String
        let memberNumber: String
        let category: String
        let categoryKey: String
        let income: String
        let due: String
        let unpaid: Int
        let lapse: Bool
        let paidThisMonth: String
    }

    struct BranchPage: Encodable {
        let id: Int
        let name: String
        let month: String
        let members: [MemberRow]
        let hasMembers: Bool
        let categories: [Choice]
        let kinds: [Choice]
        let form: FormState
    }

    private func branchPage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let branch = try await req.scope.organization(id, on: req.db)
        guard branch.type.isBranch else { throw Abort(.notFound) }
        let today = req.today
        let month = DuesMonths.month(of: today)
        let members = try await req.scope.members(on: req.db).filter(\.$branchID == id).sort(\.$name).range(0..<500).all()
        let ids = members.map { $0.id! }
        let profiles = Dictionary(uniqueKeysWithValues: try await DuesProfile.query(on: req.db).filter(\.$memberID ~~ ids).all()
            .map { ($0.memberID, $0) })
        // A member's payments are theirs wherever they were recorded: a member who transferred in
        // brings the months paid in their old branch. The members themselves are in reach.
        let payments = Dictionary(grouping: try await req.scope.payments(of: members, on: req.db), by: \.memberID)
        let policy = try await DuesWrites.policy(on: req.db)
        let rows = members.map { member -> MemberRow in
            let profile = profiles[member.id!]
            let settled = Set((payments[member.id!] ?? []).map(\.month))
            let arrears = DuesMonths.arrears(joined: CalendarDate(member.joinedOn) ?? today, settled: settled, today: today)
            return MemberRow(
                id: member.id!, name: member.name, memberNumber: member.memberNumber, category: profile?.category.label ?? "未登记",
                categoryKey: profile?.category.rawValue ?? "", income: profile.map { Money.yuan($0.incomeFen) } ?? "",
                due: profile.map { Money.yuan(policy.monthlyDue($0.category, incomeFen: $0.incomeFen)) } ?? "—",
                unpaid: arrears.owed, lapse: arrears.run >= LeavingRules.lapseMonths,
                paidThisMonth: (payments[member.id!] ?? []).first { $0.month == month }.map { "\($0.kind.label) \(Money.yuan($0.amountFen))" } ?? "")
        }
        var state = form
        if state.values["month"] == nil { state.values["month"] = month }
        return try await req.page("dues/branch", title: "团费", BranchPage(
            id: id, name: branch.name, month: month, members: rows, hasMembers: !rows.isEmpty,
            categories: DuesCategory.allCases.map { .init(value: $0.rawValue, label: $0.label) },
            kinds: DuesPayment.Kind.allCases.map { .init(value: $0.rawValue, label: $0.label) }, form: state), status: status)
    }

    @Sendable func branch(req: Request) async throws -> Response {
        try await branchPage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    @Sendable func setProfile(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let category = DuesCategory(rawValue: form["category"] ?? "")
        if category == nil { state.errors["category"] = "请选择团费类别" }
        let income = (form["income"] ?? "").isEmpty ? 0 : Money.fen(form["income"] ?? "")
        if income == nil { state.errors["income"] = "收入应为金额，如 3456.78" }
        let member = Int(form["member"] ?? "") ?? -1
        let change = req.changeContext
        return try await req.submit(state, write: { db in
            try await DuesWrites.setProfile(memberID: member, category: category!, incomeFen: income!, change, on: db)
        }, then: { _ in
            try await req.redirect(to: "/dues/branches/\(id)", flash: "已登记团费类别。")
        }, otherwise: { state in
            try await branchPage(req, id: id, form: state, status: .unprocessableEntity)
        })
    }

    @Sendable func record(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let kind = DuesPayment.Kind(rawValue: form["kind"] ?? "")
        if kind == nil { state.errors["kind"] = "请选择缴纳、减缴或免缴" }
        var amount: Int?
        if let raw = form["amount"], !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            amount = Money.fen(raw)
            if amount == nil { state.errors["amount"] = "金额应如 3.00，最多两位小数" }
        }
        let reason = state.check("reason") { try FormField.text(form["reason"], label: "理由", required: false, max: 200) } ?? nil
        let member = Int(form["member"] ?? "") ?? -1
        let month = form["month"] ?? ""
        let change = req.changeContext
        let today = req.today
        return try await req.submit(state, write: { [amount] db in
            try await DuesWrites.record(memberID: member, month: month, kind: kind!, amountFen: amount, reason: reason, today: today, change, on: db)
        }, then: { payment in
            try await req.redirect(to: "/dues/branches/\(id)", flash: "已登记 \(payment.month) 团费\(payment.kind.label)。")
        }, otherwise: { state in
            try await branchPage(req, id: id, form: state, status: .unprocessableEntity)
        })
    }

    @Sendable func setPolicy(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        func money(_ field: String) -> Int? {
            guard let fen = Money.fen(form[field] ?? "") else { state.errors[field] = "应为金额，如 3.00"; return nil }
            return fen
        }
        let flat = money("flat"), farmer = money("farmer"), low = money("lowIncome"), threshold = money("threshold"), cap = money("cap")
        let perMille = Int(form["perMille"] ?? "")
        if perMille == nil { state.errors["perMille"] = "比例应为整数（‰）" }
        let change = req.changeContext
        return try await req.submit(state, write: { db in
            try await DuesWrites.setPolicy(DuesPolicy(flatFen: flat!, farmerFen: farmer!, lowIncomeFen: low!, thresholdFen: threshold!,
                                                      perMille: perMille!, capFen: cap!), change, on: db)
        }, then: { _ in
            try await req.redirect(to: "/dues", flash: "团费标准已调整。")
        }, otherwise: { state in
            try await totalsPage(req, form: state, status: .unprocessableEntity)
        })
    }
}
