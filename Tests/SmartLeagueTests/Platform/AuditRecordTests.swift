import Foundation
import Testing
@testable import SmartLeague

@Suite struct AuditRecordTests {
    @Test func fieldChangesListOnlyDifferences() {
        let changes = FieldChange.between(["名称": "甲", "电话": "1", "地址": "x"], ["名称": "乙", "电话": "1", "简介": "新"])
        #expect(changes == [
            FieldChange(field: "名称", old: "甲", new: "乙"),
            FieldChange(field: "地址", old: "x", new: ""),
            FieldChange(field: "简介", old: "", new: "新"),
        ].sorted { $0.field < $1.field })
    }

    @Test func handWrittenJSONDecodesBack() throws {
        let changes = [FieldChange(field: "名称", old: "a\"b\\c", new: "line\nbreak\u{1}"), FieldChange(field: "x", old: "", new: "团")]
        let decoded = try JSONDecoder().decode([FieldChange].self, from: Data(FieldChange.json(changes).utf8))
        #expect(decoded == changes)
        #expect(Hex.string([0x00, 0xAB, 0xFF]) == "00abff")
    }
}
