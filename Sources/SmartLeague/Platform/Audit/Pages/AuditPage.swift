import LeagueCore

/// 操作日志: a page of entries and the form that filters them.
struct AuditPage: Encodable {
    struct Change: TemplateValueSpelled {
        let field: String
        let old: String
        let new: String

        var templateValue: TemplateValue {
            .object(TemplateRecord(["field": .string(field), "old": .string(old), "new": .string(new)]))
        }
    }

    /// One entry as the log and the home page show it; fifty to a page, so it spells its own
    /// template value.
    struct Entry: TemplateValueSpelled {
        let at: String
        let actorName: String
        let ip: String
        let unitName: String
        let action: String
        let summary: String
        let changes: [Change]

        init(_ entry: AuditQueries.Entry) {
            at = ChinaTime.dateTimeString(entry.at)
            actorName = entry.actorName
            ip = entry.ip
            unitName = entry.unitName
            action = AuditActions.label(entry.action)
            summary = entry.summary
            changes = entry.changes.map { Change(field: $0.field, old: $0.old, new: $0.new) }
        }

        var templateValue: TemplateValue {
            .object(TemplateRecord(["at": .string(at), "actorName": .string(actorName), "ip": .string(ip), "unitName": .string(unitName),
                                    "action": .string(action), "summary": .string(summary),
                                    "changes": .array(changes.map(\.templateValue))]))
        }
    }

    let entries: [Entry]
    let pagination: Pagination
    let form: FormState

    init(_ entries: [AuditQueries.Entry], pagination: Pagination, form: FormState) {
        self.entries = entries.map(Entry.init)
        self.pagination = pagination
        self.form = form
    }
}
