import LeagueCore

/// One year's plan: sections, items and the tasks, each leading to its assignments.
struct PlanPage: Encodable {
    struct Section: Encodable {
        let heading: String
        let items: [Item]
    }

    struct Item: Encodable {
        let heading: String
        let tasks: [WorkPlans.TaskNode]
    }

    let year: Int
    let title: String
    let requirement: String
    let sections: [Section]
    let taskCount: Int

    init(_ plan: WorkPlan, outline: [WorkPlans.SectionNode]) {
        year = plan.year
        title = plan.title
        requirement = plan.requirement
        sections = outline.map { section in
            Section(heading: "\(PlanText.chineseNumber(section.number))、\(section.title)",
                    items: section.items.map { Item(heading: "\($0.number). \($0.title)", tasks: $0.tasks) })
        }
        taskCount = outline.reduce(0) { $0 + $1.items.reduce(0) { $0 + $1.tasks.count } }
    }
}
