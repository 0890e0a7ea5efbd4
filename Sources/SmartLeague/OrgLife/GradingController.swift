import Fluent
import LeagueCore
import Vapor

/// 对标定级: rounds, the distribution of levels under a unit, and each branch's sheet.
struct GradingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let grading = routes.grouped("grading")
        grading.get(use: index)
        grading.post(use: open)
        grading.get(":id", use: round)
        grading.get("sheets", ":id", use: sheet)
        grading.post("sheets", ":id", "self", use: assess)
        grading.post("sheets", ":id", "review", use: review)
    }

    struct RoundRow: Encodable {
        let id: Int
        let year: Int
        let opensOn: String
        let caps: String
    }

    struct IndexPage: Encodable {
        let rounds: [RoundRow]
        let hasRounds: Bool
        let canOpen: Bool
        let form: FormState
    }

    static func caps(_ round: GradingRound) -> String {
        [round.fiveStarCap.map { "五星级不超过 \($0)%" }, round.fourStarCap.map { "四星级不超过 \($0)%" }].compactMap { $0 }
            .joined(separator: "，").nilIfEmpty ?? "不设上限"
    }

    private func indexPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let rounds = try await GradingRound.query(on: req.db).sort(\.$year, .descending).all()
        var state = form
        if state.values["year"] == nil { state.values["year"] = String(req.today.year) }
        return try await req.page("orglife/grading", title: "对标定级", IndexPage(
            rounds: rounds.map { RoundRow(id: $0.id!, year: $0.year, opensOn: $0.opensOn, caps: Self.caps($0)) },
            hasRounds: !rounds.isEmpty, canOpen: req.scope.isCityWide, form: state), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await indexPage(req, form: FormState(), status: .ok)
    }

    @Sendable func open(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let year = state.check("year") { try FormField.year(form["year"]) }
        func cap(_ field: String) -> Int? {
            guard let raw = form[field]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            guard let value = Int(raw), (1...100).contains(value) else { state.errors[field] = "上限应为 1 到 100 的整数（百分比）"; return nil }
            return value
        }
        let five = cap("fiveStarCap"), four = cap("fourStarCap")
        let change = req.changeContext
        let today = req.today
        return try await req.submit(state, write: { db in
            try await GradingWrites.open(year: year!, fiveStarCap: five, fourStarCap: four, today: today, change, on: db)
        }, then: { round, count in
            try await req.redirect(to: "/grading/\(round.id!)", flash: "已启动，\(count) 个团支部参加。")
        }, otherwise: { state in
            try await indexPage(req, form: state, status: .unprocessableEntity)
        })
    }

    struct LevelRow: Encodable {
        let label: String
        let count: Int
        let y: Int
        let width: Int
    }

    struct SheetRow: Encodable {
        let id: Int
        let branch: String
        let status: String
        let score: String
        let level: String
    }

    struct RoundPage: Encodable {
        let id: Int
        let year: Int
        let caps: String
        let unitID: Int
        let unitName: String
        let taking: Int
        let levels: [LevelRow]
        let waiting: Int
        let sheets: [SheetRow]
        let hasSheets: Bool
        let pagination: Pagination
    }

    @Sendable func round(req: Request) async throws -> Response {
        let round = try await GradingWrites.round(try req.id(), on: req.db)
        let unit = try await req.chosenUnit()
        let within = Scope(reach: .subtree(unit.path))
        let all = try await within.within(req.scope.query(GradingSheet.self, on: req.db), \GradingSheet.$branchPath).filter(\.$roundID == round.id!)
            .sort(\.$branchPath).all()
        let byLevel = Dictionary(grouping: all.compactMap(\.level), by: { $0 }).mapValues(\.count)
        let largest = max(1, byLevel.values.max() ?? 1)
        let pagination = Pagination(page: Pagination.requestedPage(req), pageSize: 50, total: all.count,
                                    keep: ["unit": String(unit.id!)])
        let shown = Array(all.dropFirst(pagination.offset).prefix(pagination.pageSize))
        let names = try await Directory.unitNames(shown.map(\.branchID), on: req.db)
        return try await req.page("orglife/grading_round", title: "对标定级", RoundPage(
            id: round.id!, year: round.year, caps: Self.caps(round), unitID: unit.id!, unitName: unit.name, taking: all.count,
            levels: StarLevel.allCases.enumerated().map { index, level in
                LevelRow(label: level.label, count: byLevel[level] ?? 0, y: 10 + index * 30, width: (byLevel[level] ?? 0) * 360 / largest)
            },
            waiting: all.filter { $0.status != .reviewed }.count,
            sheets: shown.map {
                SheetRow(id: $0.id!, branch: names[$0.branchID] ?? "", status: $0.status.label,
                         score: $0.score.map(String.init) ?? "—", level: $0.level?.label ?? "—")
            },
            hasSheets: !all.isEmpty, pagination: pagination))
    }

    struct ItemRow: Encodable {
        let key: String
        let label: String
        let selfScore: String
        let evidence: String
        let reviewScore: String
        let selfError: String?
        let reviewError: String?
    }

    struct VetoRow: Encodable {
        let key: String
        let label: String
        let checked: Bool
    }

    struct SheetPage: Encodable {
        let id: Int
        let roundID: Int
        let year: Int
        let branchName: String
        let status: String
        let score: String
        let level: String
        let items: [ItemRow]
        let vetoes: [VetoRow]
        let facts: [String]
        let secretary: String
        let representative: String
        let reviewComment: String?
        let canAssess: Bool
        let canReview: Bool
        let form: FormState
    }

    private func sheetPage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let sheet = try await req.scope.find(GradingSheet.self, id, on: req.db)
        let round = try await GradingWrites.round(sheet.roundID, on: req.db)
        let branch = try await req.scope.organization(sheet.branchID, on: req.db)
        let typed = !form.values.isEmpty
        let selfScores = GradingSheet.decode(sheet.selfScores), evidence = GradingSheet.decodeText(sheet.evidence)
        let reviewScores = GradingSheet.decode(sheet.reviewScores)
        let vetoes = Set(sheet.vetoes.split(separator: ",").map(String.init))
        let facts = sheet.status == .reviewed ? sheet.facts.split(separator: "；").map(String.init)
            : try await GradingFacts.of(branch, year: round.year, today: req.today, on: req.db).map { "\($0.label)：\($0.value)" }
        return try await req.page("orglife/grading_sheet", title: "对标定级", SheetPage(
            id: id, roundID: round.id!, year: round.year, branchName: branch.name, status: sheet.status.label,
            score: sheet.score.map(String.init) ?? "—", level: sheet.level?.label ?? "—",
            items: GradingItem.allCases.map { item in
                let key = item.rawValue
                return ItemRow(key: key, label: item.label,
                               selfScore: typed ? form.values["score-\(key)"] ?? "" : selfScores[key].map(String.init) ?? "",
                               evidence: typed ? form.values["evidence-\(key)"] ?? "" : evidence[key] ?? "",
                               reviewScore: typed ? form.values["review-\(key)"] ?? "" : (reviewScores[key] ?? selfScores[key]).map(String.init) ?? "",
                               selfError: form.errors["score-\(key)"], reviewError: form.errors["review-\(key)"])
            },
            vetoes: GradingVeto.allCases.map { VetoRow(key: $0.rawValue, label: $0.label, checked: vetoes.contains($0.rawValue)) },
            facts: facts, secretary: typed ? form.values["secretary"] ?? "" : sheet.secretarySignature ?? "",
            representative: typed ? form.values["representative"] ?? "" : sheet.representativeSignature ?? "",
            reviewComment: sheet.reviewComment,
            canAssess: sheet.status == .draft && req.scope.root == sheet.branchPath,
            canReview: sheet.status != .draft && req.scope.isStrictlyAbove(branch), form: form), status: status)
    }

    @Sendable func sheet(req: Request) async throws -> Response {
        try await sheetPage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    private func write<T: Sendable>(_ req: Request, _ state: FormState, flash: String,
                                    _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> T) async throws -> Response {
        let id = try req.id()
        return try await req.submit(state, back: { _ in "/grading/sheets/\(id)" }, flash: { _ in flash }, page: { state in
            try await sheetPage(req, id: id, form: state, status: .unprocessableEntity)
        }, body)
    }

    /// Item scores typed in fields `prefix-item`; a wrong one gets its message.
    private static func scores(_ form: [String: String], prefix: String, state: inout FormState) -> [GradingItem: Int] {
        var scores: [GradingItem: Int] = [:]
        for item in GradingItem.allCases {
            let key = "\(prefix)-\(item.rawValue)"
            guard let raw = form[key]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { continue }
            if let value = GradingRules.itemScore(raw) { scores[item] = value } else {
                state.errors[key] = "每项 0 到 \(GradingItem.points) 分的整数"
            }
        }
        return scores
    }

    @Sendable func assess(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let scores = Self.scores(form, prefix: "score", state: &state)
        var evidence: [GradingItem: String] = [:]
        for item in GradingItem.allCases {
            if let text = state.check("evidence-\(item.rawValue)", {
                try FormField.text(form["evidence-\(item.rawValue)"], label: "佐证材料说明", required: false, max: 2000)
            }) ?? nil { evidence[item] = text }
        }
        let secretary = state.check("secretary") { try FormField.text(form["secretary"], label: "支部书记签名", required: false, max: 30) } ?? nil
        let representative = state.check("representative") {
            try FormField.text(form["representative"], label: "团员代表签名", required: false, max: 30)
        } ?? nil
        let submit = form["action"] == "submit"
        return try await write(req, state, flash: submit ? "自评已提交上级审核。" : "自评已保存。") { [scores, evidence] db, change in
            try await GradingWrites.assess(id, .init(scores: scores, evidence: evidence, secretary: secretary,
                                                     representative: representative, submit: submit), change, on: db)
        }
    }

    @Sendable func review(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let scores = Self.scores(form, prefix: "review", state: &state)
        let vetoes = GradingVeto.allCases.filter { form["veto-\($0.rawValue)"] == "1" }
        let comment = state.check("comment") { try FormField.text(form["comment"], label: "审核意见", required: false, max: 2000) } ?? nil
        let sendBack = form["action"] == "sendBack"
        let today = req.today
        return try await write(req, state, flash: sendBack ? "已退回团支部重新自评。" : "已定级。") { [scores] db, change in
            try await GradingWrites.review(id, .init(scores: scores, vetoes: vetoes, comment: comment, sendBack: sendBack),
                                           today: today, change, on: db)
        }
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
