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

    /// The log reads back what it wrote by hand without a general decoder, and reads any other
    /// JSON of changes as that decoder does.
    @Test func storedChangesReadBackAsTheGeneralDecoderReadsThem() throws {
        let decoder = JSONDecoder()
        let texts = ["", "甲", "a\"b\\c", "line\nbreak\r\t\u{1}\u{1F}", "\u{7F}é😀", "\\u0041", "}],{\"field\":"]
        var cases: [[FieldChange]] = [[]]
        for (offset, text) in texts.enumerated() {
            cases.append([FieldChange(field: text, old: texts[(offset + 1) % texts.count], new: text + text)])
            cases.append(texts.map { FieldChange(field: "字段\(offset)", old: text, new: $0) })
        }
        for changes in cases {
            let json = FieldChange.json(changes)
            #expect(FieldChange.readWritten(json) == changes)
            #expect(FieldChange.stored(json, decoder: decoder) == changes)
            #expect(try decoder.decode([FieldChange].self, from: Data(json.utf8)) == changes)
        }
        // Another writer's JSON: spacing, key order, escapes JSONText does not write.
        let other = #"[ {"new": "\u00e9\/\ud83d\ude00", "field": "名称", "old": "\b"} ]"#
        #expect(FieldChange.readWritten(other) == nil)
        #expect(FieldChange.stored(other, decoder: decoder) == [FieldChange(field: "名称", old: "\u{8}", new: "é/😀")])
        for broken in ["", "[", "[{\"field\":\"a\",\"old\":\"b\",\"new\":\"c\"}", "null", "[1]", #"[{"field":"a\q","old":"","new":""}]"#,
                       #"[{"field":"a\u+01f","old":"","new":""}]"#] {
            #expect(FieldChange.readWritten(broken) == nil)
            #expect(FieldChange.stored(broken, decoder: decoder) == [])
        }
        #expect(FieldChange.readWritten("[]") == [])
        #expect(FieldChange.readWritten("[] ") == nil)
    }
}
