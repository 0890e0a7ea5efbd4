/// One field's old and new value in an audited write.
struct FieldChange: Codable, Equatable, Sendable {
    let field: String
    let old: String
    let new: String

    init(field: String, old: String, new: String) {
        self.field = field
        self.old = old
        self.new = new
    }

    /// The fields whose values differ between two snapshots, in field order; a field missing on
    /// one side counts as empty there.
    static func between(_ before: [String: String], _ after: [String: String]) -> [FieldChange] {
        Set(before.keys).union(after.keys).sorted().compactMap { field in
            let old = before[field] ?? "", new = after[field] ?? ""
            return old == new ? nil : FieldChange(field: field, old: old, new: new)
        }
    }

    /// Every non-empty field of a record as it was created.
    static func created(_ after: [String: String]) -> [FieldChange] {
        between([:], after)
    }
}

extension FieldChange {
    /// The JSON array the audit log stores: `[{"field":…,"old":…,"new":…}]`, written by hand
    /// because Foundation's encoder costs more than the row insert itself in a large import.
    static func json(_ changes: [FieldChange]) -> String {
        "[" + changes.map { "{\"field\":\(JSONText.quoted($0.field)),\"old\":\(JSONText.quoted($0.old)),\"new\":\(JSONText.quoted($0.new))}" }
            .joined(separator: ",") + "]"
    }
}
