/// 工作要点: the years' plans, and for the city committee the form that loads a new one.
struct PlanListPage: Encodable {
    struct Year: Encodable {
        let year: Int
        let title: String
    }

    let plans: [Year]
    let canLoad: Bool
    /// Every problem of a plan that was not loaded, one a line.
    let problems: [String]
    let form: FormState

    init(_ plans: [WorkPlan], canLoad: Bool, form: FormState) {
        self.plans = plans.map { Year(year: $0.year, title: $0.title) }
        self.canLoad = canLoad
        problems = form.errors.sorted { $0.key < $1.key }.flatMap { $0.value.split(separator: "\n").map(String.init) }
        self.form = form
    }
}
