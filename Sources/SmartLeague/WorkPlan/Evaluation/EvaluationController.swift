import Fluent
import LeagueCore
import Vapor

/// The yearly evaluation of units: schemes, each unit's sheet, the ranking and its export.
struct EvaluationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let evaluations = routes.grouped("evaluations")
        evaluations.get(use: index)
        evaluations.post(use: create)
        evaluations.get(":id", use: show)
        evaluations.get(":id", "ranking.csv", use: export)
        evaluations.post(":id", "indicators", use: addIndicator)
        evaluations.post(":id", "indicators", ":indicator", "delete", use: removeIndicator)
        evaluations.post(":id", "open", use: open)
        evaluations.post(":id", "close", use: close)
        evaluations.get("sheets", ":id", use: sheet)
        evaluations.post("sheets", ":id", "self", use: saveSelf)
        evaluations.post("sheets", ":id", "review", use: review)
    }

    // MARK: Schemes

    struct SchemeRow: Encodable {
        let id: Int
        let year: Int
        let title: String
        let status: String
    }

    struct IndexPage: Encodable {
        let schemes: [SchemeRow]
        let hasSchemes: Bool
        let canCreate: Bool
        let form: FormState
    }

    private func indexPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let schemes = try await EvaluationScheme.query(on: req.db).sort(\.$year, .descending).all()
        var state = form
        if state.values["year"] == nil { state.values["year"] = String(req.today.year) }
        return try await req.page("workplan/evaluations", title: "考核评价", IndexPage(
            schemes: schemes.map { SchemeRow(id: $0.id!, year: $0.year, title: $0.title, status: $0.status.label) },
            hasSchemes: !schemes.isEmpty, canCreate: req.scope.isCityWide, form: state), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await indexPage(req, form: FormState(), status: .ok)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let year = state.check("year") { try FormField.year(form["year"]) }
        let title = state.check("title") { try FormField.requiredText(form["title"], label: "考核名称", min: 4, max: 60) }
        let change = req.changeContext
        return try await req.submit(state, write: { db in
            try await EvaluationWrites.createScheme(year: year!, title: title!, change, on: db)
        }, then: { scheme in
            try await req.redirect(to: "/evaluations/\(scheme.id!)", flash: "已新建考核，请确认指标和权重后发布。")
        }, otherwise: { state in
            try await indexPage(req, form: state, status: .unprocessableEntity)
        })
    }

    struct IndicatorRow: Encodable {
        let id: Int
        let name: String
        let weight: Int
        let source: String
    }

    struct SheetRow: Encodable {
        let id: Int
        let rank: String
        let unitName: String
        let status: String
        let total: String
    }

    struct SchemePage: Encodable {
        let id: Int
        let year: Int
        let title: String
        let status: String
        let indicators: [IndicatorRow]
        let weightSum: Int
        let weightProblem: String?
        let sheets: [SheetRow]
        let hasSheets: Bool
        let isFinal: Bool
        let canEdit: Bool
        let canClose: Bool
        let sources: [Choice]
        let form: FormState
    }

    /// The sheets in reach, ranked among all reviewed sheets of the scheme: a district sees its
    /// own place without seeing the others' sheets.
    static func rankedSheets(_ scheme: EvaluationScheme, scope: Scope, on db: any Database) async throws -> [(EvaluationSheet, Int?)] {
        let totals = try await scope.rankingTotals(of: scheme, on: db)
        let ranks = Ranking.competition(totals)
        let placeOf = Dictionary(zip(totals, ranks), uniquingKeysWith: { first, _ in first })
        let sheets = try await scope.query(EvaluationSheet.self, on: db).filter(\.$schemeID == scheme.id!).all()
        return sheets.map { sheet in
            (sheet, sheet.status == .reviewed ? sheet.total.flatMap { placeOf[$0] } : nil)
        }.sorted { ($0.1 ?? Int.max, $0.0.unitPath) < ($1.1 ?? Int.max, $1.0.unitPath) }
    }

    private func schemePage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let scheme = try await EvaluationWrites.scheme(id, on: req.db)
        let indicators = try await EvaluationWrites.indicators(of: id, on: req.db)
        let ranked = try await Self.rankedSheets(scheme, scope: req.scope, on: req.db)
        let names = try await Directory.unitNames(ranked.map(\.0.unitID), on: req.db)
        let city = req.scope.isCityWide
        return try await req.page("workplan/evaluation", title: "考核评价", SchemePage(
            id: id, year: scheme.year, title: scheme.title, status: scheme.status.label,
            indicators: indicators.map { IndicatorRow(id: $0.id!, name: $0.name, weight: $0.weight, source: $0.source.label) },
            weightSum: indicators.reduce(0) { $0 + $1.weight },
            weightProblem: EvaluationRules.weightProblem(indicators.map(\.weight)),
            sheets: ranked.map { sheet, rank in
                SheetRow(id: sheet.id!, rank: rank.map(String.init) ?? "—", unitName: names[sheet.unitID] ?? "",
                         status: sheet.status.label, total: sheet.total.map { EvaluationRules.text(hundredths: $0) } ?? "—")
            },
            hasSheets: !ranked.isEmpty, isFinal: scheme.status == .closed,
            canEdit: city && scheme.status == .draft, canClose: city && scheme.status == .open,
            sources: IndicatorSource.allCases.map { .init(value: $0.rawValue, label: $0.label) }, form: form), status: status)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await schemePage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    private func onScheme(_ req: Request, state: FormState, flash: String,
                          _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> Void) async throws -> Response {
        let id = try req.id()
        return try await req.submit(state, back: { _ in "/evaluations/\(id)" }, flash: { _ in flash }, page: { state in
            try await schemePage(req, id: id, form: state, status: .unprocessableEntity)
        }, body)
    }

    @Sendable func addIndicator(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let name = state.check("name") { try FormField.requiredText(form["name"], label: "指标名称", max: 30) }
        let weight = Int(form["weight"] ?? "").flatMap { (1...100).contains($0) ? $0 : nil }
        if weight == nil { state.errors["weight"] = "权重须为 1 到 100 之间的整数" }
        let source = IndicatorSource(rawValue: form["source"] ?? "")
        if source == nil { state.errors["source"] = "请选择计分方式" }
        return try await onScheme(req, state: state, flash: "已增加指标「\(name ?? "")」。") { db, change in
            try await EvaluationWrites.addIndicator(id, Indicator(name: name!, weight: weight!, source: source!), change, on: db)
        }
    }

    @Sendable func removeIndicator(req: Request) async throws -> Response {
        let id = try req.id()
        guard let indicator = req.parameters.get("indicator", as: Int.self) else { throw Abort(.notFound) }
        return try await onScheme(req, state: FormState(), flash: "已删除指标。") { db, change in
            try await EvaluationWrites.removeIndicator(id, indicatorID: indicator, change, on: db)
        }
    }

    @Sendable func open(req: Request) async throws -> Response {
        let id = try req.id()
        return try await onScheme(req, state: FormState(), flash: "考核已发布，各单位可以填写自评。") { db, change in
            _ = try await EvaluationWrites.open(id, change, on: db)
        }
    }

    @Sendable func close(req: Request) async throws -> Response {
        let id = try req.id()
        return try await onScheme(req, state: FormState(), flash: "考核已结束，排名为最终结果。") { db, change in
            try await EvaluationWrites.close(id, change, on: db)
        }
    }

    /// The ranking as CSV: place, unit, each indicator's score, total; as far as the caller reaches.
    @Sendable func export(req: Request) async throws -> Response {
        let scheme = try await EvaluationWrites.scheme(try req.id(), on: req.db)
        let indicators = try await EvaluationWrites.indicators(of: scheme.id!, on: req.db)
        let ranked = try await Self.rankedSheets(scheme, scope: req.scope, on: req.db)
        let names = try await Directory.unitNames(ranked.map(\.0.unitID), on: req.db)
        var text = CSV.byteOrderMark + CSV.line(["名次", "单位"] + indicators.map { "\($0.name)（权重\($0.weight)）" } + ["总分", "状态"])
        for (sheet, rank) in ranked {
            let scores = try await EvaluationWrites.scores(of: sheet.id!, on: req.db)
            let cells = indicators.map { indicator -> String in
                let score = scores[indicator.id!]
                return ((indicator.source == .rated ? score?.reviewScore : score?.computed)).map(String.init) ?? ""
            }
            text += CSV.line([rank.map(String.init) ?? "", names[sheet.unitID] ?? ""] + cells
                             + [sheet.total.map { EvaluationRules.text(hundredths: $0) } ?? "", sheet.status.label])
        }
        return .csv(text, fileName: "evaluation-\(scheme.year).csv", chineseName: "\(scheme.year)年度考核排名.csv")
    }

    // MARK: Sheets

    struct ScoreRow: Encodable {
        let id: Int
        let name: String
        let weight: Int
        let source: String
        let isRated: Bool
        /// Computed figure: frozen at submission, live before.
        let computed: String
        let selfScore: String
        let selfNote: String
        let reviewScore: String
        let selfError: String?
        let reviewError: String?
    }

    struct SheetPage: Encodable {
        let id: Int
        let schemeID: Int
        let year: Int
        let unitName: String
        let status: String
        let summary: String
        let reviewComment: String?
        let total: String
        let rows: [ScoreRow]
        let canSelf: Bool
        let canReview: Bool
        let form: FormState
    }

    private func sheetPage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let sheet = try await req.scope.find(EvaluationSheet.self, id, on: req.db)
        let scheme = try await EvaluationWrites.scheme(sheet.schemeID, on: req.db)
        let indicators = try await EvaluationWrites.indicators(of: scheme.id!, on: req.db)
        let scores = try await EvaluationWrites.scores(of: id, on: req.db)
        let typed = !form.values.isEmpty
        var rows: [ScoreRow] = []
        for indicator in indicators {
            let key = indicator.id!
            let score = scores[key]
            var computed = ""
            if indicator.source.isComputed {
                let value = sheet.status == .draft
                    ? try await EvaluationFigures.score(indicator.source, year: scheme.year, unitID: sheet.unitID, on: req.db)
                    : score?.computed
                computed = value.map { "\($0)" + (sheet.status == .draft ? "（实时）" : "") } ?? ""
            }
            rows.append(ScoreRow(
                id: key, name: indicator.name, weight: indicator.weight, source: indicator.source.label,
                isRated: indicator.source == .rated, computed: computed,
                selfScore: typed ? form.values["score\(key)"] ?? "" : score?.selfScore.map(String.init) ?? "",
                selfNote: typed ? form.values["note\(key)"] ?? "" : score?.selfNote ?? "",
                reviewScore: typed ? form.values["review\(key)"] ?? "" : (score?.reviewScore ?? score?.selfScore).map(String.init) ?? "",
                selfError: form.errors["score\(key)"], reviewError: form.errors["review\(key)"]))
        }
        let unitName = try await Directory.unitNames([sheet.unitID], on: req.db)[sheet.unitID] ?? ""
        let open = scheme.status == .open
        return try await req.page("workplan/evaluation_sheet", title: "考核自评", SheetPage(
            id: id, schemeID: scheme.id!, year: scheme.year, unitName: unitName, status: sheet.status.label,
            summary: typed ? form.values["summary"] ?? "" : sheet.summary, reviewComment: sheet.reviewComment,
            total: sheet.total.map { EvaluationRules.text(hundredths: $0) } ?? "—", rows: rows,
            canSelf: open && sheet.status == .draft && req.scope.root == sheet.unitPath,
            canReview: open && sheet.status != .draft && req.scope.isCityWide, form: form), status: status)
    }

    @Sendable func sheet(req: Request) async throws -> Response {
        try await sheetPage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    private func onSheet(_ req: Request, state: FormState, flash: String,
                         _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> Void) async throws -> Response {
        let id = try req.id()
        return try await req.submit(state, back: { _ in "/evaluations/sheets/\(id)" }, flash: { _ in flash }, page: { state in
            try await sheetPage(req, id: id, form: state, status: .unprocessableEntity)
        }, body)
    }

    @Sendable func saveSelf(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let summary = state.check("summary") { try FormField.text(form["summary"], label: "自评报告", required: false, max: 5000) } ?? nil
        var entries: [Int: EvaluationWrites.SelfEntry] = [:]
        for (key, raw) in form where key.hasPrefix("score") {
            guard let indicator = Int(key.dropFirst(5)) else { continue }
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            let score = EvaluationRules.score(trimmed)
            if !trimmed.isEmpty && score == nil { state.errors[key] = "自评分须为 0 到 100 之间的整数" }
            let note = state.check("note\(indicator)") {
                try FormField.text(form["note\(indicator)"], label: "说明", required: false, max: 1000)
            } ?? nil
            entries[indicator] = .init(score: score, note: note)
        }
        let submit = form["action"] == "submit"
        return try await onSheet(req, state: state, flash: submit ? "自评已提交，等待团市委审核。" : "自评已保存。") { [entries] db, change in
            try await EvaluationWrites.saveSelf(id, summary: summary ?? "", entries: entries, submit: submit, change, on: db)
        }
    }

    @Sendable func review(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let comment = state.check("comment") { try FormField.text(form["comment"], label: "审核意见", required: false, max: 2000) } ?? nil
        var scores: [Int: Int] = [:]
        for (key, raw) in form where key.hasPrefix("review") {
            guard let indicator = Int(key.dropFirst(6)) else { continue }
            if let score = EvaluationRules.score(raw) { scores[indicator] = score } else if !raw.trimmingCharacters(in: .whitespaces).isEmpty {
                state.errors[key] = "审核分须为 0 到 100 之间的整数"
            }
        }
        let sendBack = form["action"] == "sendBack"
        return try await onSheet(req, state: state, flash: sendBack ? "已退回该单位重新自评。" : "审核完成，总分已计算。") { [scores] db, change in
            try await EvaluationWrites.review(id, scores: scores, comment: comment, sendBack: sendBack, change, on: db)
        }
    }
}
