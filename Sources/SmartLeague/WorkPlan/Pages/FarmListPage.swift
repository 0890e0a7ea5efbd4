/// 青创农场: the farms in reach and the form that registers one.
struct FarmListPage: Encodable {
    struct Row: Encodable {
        let name: String
        let operatorName: String
        let level: String
        let year: Int
        let helped: Int
        let unitName: String
    }

    let rows: [Row]
    let hasRows: Bool
    let pagination: Pagination
    let form: FormState

    init(_ farms: WorkPlanQueries.Registry<YouthFarm>, form: FormState) {
        rows = farms.rows.map {
            Row(name: $0.name, operatorName: $0.operatorName, level: $0.level, year: $0.year, helped: $0.farmersHelped,
                unitName: farms.unitNames[$0.unitID] ?? "")
        }
        hasRows = !rows.isEmpty
        pagination = farms.pagination
        self.form = form
    }
}
