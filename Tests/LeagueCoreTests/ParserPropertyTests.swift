import Foundation
import PropertyBased
import Testing
@testable import LeagueCore

/// Text as a phone keyboard, a spreadsheet or an attacker sends it: digits of every script, digits
/// carrying combining marks, control and invisible characters, emoji, and the pieces each parser
/// splits on. Every public parser of user input gets these and must answer with a value or a
/// problem: a trap stops the server for everyone.
enum TrickyText {
    static let pieces: [String] = [
        "0", "1", "2", "5", "9", "X", "x", "-", ".", ":", "/", "|", "｜", ",", "，", "\"", "'", "\\", "=", "&", "%", "+", "e",
        " ", "\t", "\n", "\r", "\r\n", "\u{0}", "\u{7}", "\u{7F}", "\u{85}", "\u{200B}", "\u{200D}", "\u{FEFF}", "\u{202E}",
        "\u{301}", "\u{20DD}", "\u{FE0F}", "１", "９", "٣", "߀", "𝟙", "〇", "Ⅻ", "½", "²", "一", "中", "王", "　", "😀",
        "👨‍👩‍👧", "🇨🇳", "\u{E000}", "\u{10FFFF}", "é", "e\u{301}", "ß", "İ", "ǅ", "%E4", "%ZZ", "%", "%C3%28", "+",
        "2026", "12", "31", "99999999999999999999", "-9223372036854775808", "330203", "1990",
    ]

    /// One random scalar from anywhere in Unicode (never a surrogate, which no Swift string holds).
    static func scalar(_ rng: inout any SeededRandomNumberGenerator) -> Unicode.Scalar {
        let planes: [ClosedRange<UInt32>] = [0...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF]
        let range = planes[Int.random(in: 0..<planes.count, using: &rng)]
        return Unicode.Scalar(UInt32.random(in: range, using: &rng)) ?? "?"
    }

    static func piece(_ rng: inout any SeededRandomNumberGenerator) -> String {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return String(Character(scalar(&rng)))
        case 1: return String(Int.random(in: 0...9, using: &rng))
        // A digit followed by a combining mark: one Character that sorts among the digits.
        case 2: return String(Int.random(in: 0...9, using: &rng)) + ["\u{301}", "\u{20DD}", "\u{FE0F}\u{20E3}", "\u{0332}"][Int.random(in: 0..<4, using: &rng)]
        default: return pieces[Int.random(in: 0..<pieces.count, using: &rng)]
        }
    }

    static let text = Generator<String, Shrink.None<String>>(run: { rng in
        (0..<Int.random(in: 0...30, using: &rng)).map { _ in piece(&rng) }.joined()
    })

    /// A well-formed value with one piece changed, inserted or appended: close enough to reach
    /// past a parser's first checks.
    static func mutating(_ valid: [String]) -> Generator<String, Shrink.None<String>> {
        Generator(run: { rng in
            var scalars = Array(valid[Int.random(in: 0..<valid.count, using: &rng)].unicodeScalars)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let inserted = Array(piece(&rng).unicodeScalars)
                let at = Int.random(in: 0...scalars.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0 where at < scalars.count: scalars.replaceSubrange(at...at, with: inserted)
                case 1: scalars.append(contentsOf: inserted)
                default: scalars.insert(contentsOf: inserted, at: at)
                }
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            return String(view)
        })
    }

    static let validIDs = ["33020319900101123X", "330203200001011231", "110101199003074477", "33020320000229002X"]
    static let validDates = ["2026-02-28", "2000-02-29", "1999-12-31"]
}

@Suite struct ParserPropertyTests {
    let today = CalendarDate(year: 2026, month: 12, day: 2)!

    @Test func residentIDsParseOrSayWhy() async {
        let today = self.today
        await propertyCheck(count: 2000, input: TrickyText.mutating(TrickyText.validIDs)) { raw in
            switch ResidentID.parse(raw, today: today) {
            case .success(let id):
                #expect(id.value.utf8.count == 18 && id.value.utf8.allSatisfy { ASCIIDigits.isDigit($0) || $0 == UInt8(ascii: "X") })
                #expect((try? ResidentID(id.value, today: today)) == id)
            case .failure(let problem):
                #expect(!problem.message.isEmpty)
            }
        }
        await propertyCheck(count: 1000, input: TrickyText.text) { raw in
            _ = ResidentID.parse(raw, today: today)
            _ = ResidentID.checkCharacter(for: raw)
            _ = ResidentID.mask(raw)
        }
    }

    @Test func aDigitWithACombiningMarkIsAWrongCharacterNotADigit() {
        for raw in ["3302031990010112\u{301}3X", "33020319900101123\u{301}", "３３０２０３１９９０01011234", "3302031990010112٣X"] {
            #expect(ResidentID.parse(raw, today: today) == .failure(.characters) || ResidentID.parse(raw, today: today) == .failure(.length),
                    "\(raw.debugDescription)")
        }
        #expect(Money.fen("1\u{301}2.50") == nil && Money.fen("１２") == nil && Money.fen("12.5\u{301}") == nil)
        #expect(CalendarDate("2026-0\u{301}1-01") == nil)
    }

    /// The plain reading a date's parser must agree with: the text split at "-" into characters,
    /// parts of 4, 2 and 2 ASCII digits.
    static func dateReadByCharacters(_ text: String) -> CalendarDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    /// A tree path read by splitting it into its ids, as `TreePath` did before it read bytes once.
    static func pathReadByParts(_ text: String) -> String? {
        guard text.hasPrefix("/"), text.hasSuffix("/"), text.count >= 3 else { return nil }
        let parts = text.dropFirst().dropLast().split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ part in ASCIIDigits.number(part).map { $0 > 0 } ?? false }) else { return nil }
        return text
    }

    @Test func treePathsAreReadAsTheirIdsWouldBe() async {
        await propertyCheck(count: 2000, input: TrickyText.mutating(["/1/", "/1/17/342/", "/1/0/", "/01/2/", "/1//", "/999999999999999999/",
                                                                    "/1000000000000000000/", "/1/2", "1/2/"])) { raw in
            #expect(TreePath(raw)?.value == Self.pathReadByParts(raw), "\(raw.debugDescription)")
        }
    }

    @Test func moneyParsesOrRefuses() async {
        await propertyCheck(count: 2000, input: TrickyText.mutating(["12.5", "0", "3.00", "999999999.99", "20"])) { raw in
            guard let fen = Money.fen(raw) else { return }
            #expect(fen >= 0 && fen <= 99_999_999_999)
            #expect(Money.fen(Money.yuan(fen)) == fen)
        }
    }

    @Test func datesTimesAndNumbersParseOrRefuse() async {
        await propertyCheck(count: 2000, input: TrickyText.mutating(TrickyText.validDates + ["2026-11-29 10:30", "2026-11-29T10:30:15"])) { raw in
            if let date = CalendarDate(raw) { #expect(CalendarDate(date.description) == date) }
            #expect(CalendarDate(raw) == Self.dateReadByCharacters(raw), "\(raw.debugDescription)")
            _ = try? FormField.date(raw, label: "日期")
            _ = ChinaClock.parse(raw)
            _ = try? FormField.minuteOfDay(raw, label: "时间")
        }
        await propertyCheck(count: 1000, input: TrickyText.text) { raw in
            #expect(CalendarDate(raw) == Self.dateReadByCharacters(raw), "\(raw.debugDescription)")
            _ = ChinaClock.parse(raw)
            _ = try? FormField.year(raw)
            _ = try? FormField.id(raw, label: "编号")
            _ = ASCIIDigits.number(raw)
            _ = GradingRules.itemScore(raw)
            _ = EvaluationRules.score(raw)
            _ = ServiceTime.minutes(hoursText: raw)
            #expect(TreePath(raw)?.value == Self.pathReadByParts(raw), "\(raw.debugDescription)")
        }
    }

    @Test func textFieldsKeepWhatTheyPromise() async {
        await propertyCheck(count: 2000, input: TrickyText.text) { raw in
            if let text = try? FormField.text(raw, label: "名称", required: false, max: 10) {
                #expect(!text.isEmpty && text.count <= 10)
                #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" && $0 != "\t" })
            }
            _ = try? FormField.requiredText(raw, label: "名称", max: 30)
            _ = try? FormField.phone(raw)
            if let name = try? Username.check(raw) { #expect(name.utf8.allSatisfy { $0 < 0x80 }) }
            _ = PasswordPolicy.problem(with: raw)
            _ = AttachmentKind.cleanName(raw)
            _ = AttachmentKind.check(fileName: raw, size: raw.utf8.count, head: Array(raw.utf8.prefix(8)))
            _ = Gender(input: raw)
            _ = Education(input: raw)
            _ = OrganizationType(input: raw)
        }
    }

    @Test func memberRowsParseOrNameTheirFields() async {
        let today = self.today
        let row = Generator<[String: String], Shrink.None<[String: String]>>(run: { rng in
            var fields = ["name": "王小明", "residentID": "330203200001011231", "ethnicity": "汉族", "education": "本科",
                          "occupation": "在职", "joinedOn": "2016-05-04", "memberNumber": "NB2014001", "phone": "13805741234",
                          "developmentNumber": "", "gender": "男", "birthDate": "2000-01-01", "partyStatus": "团员"]
            let keys = fields.keys.sorted()
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let key = keys[Int.random(in: 0..<keys.count, using: &rng)]
                fields[key] = (0..<Int.random(in: 0...6, using: &rng)).map { _ in TrickyText.piece(&rng) }.joined()
                    + (Bool.random(using: &rng) ? (fields[key] ?? "") : "")
            }
            return fields
        })
        await propertyCheck(count: 1500, input: row) { fields in
            switch MemberFields.parse(fields, today: today) {
            case .success(let draft): #expect(draft.memberNumber.utf8.allSatisfy { $0 < 0x80 })
            case .failure(let problems): #expect(!problems.messages.isEmpty)
            }
        }
    }

    @Test func filesAndTextBlocksParseOrSayWhy() async {
        await propertyCheck(count: 500, input: TrickyText.text) { raw in
            _ = try? CSV.records(raw, maximumField: 50, maximumRows: 100)
            _ = try? CSV.decode(Data(raw.utf8))
            _ = CompletionBatch.parse(Data(raw.utf8))
            _ = CompletionBatch.parse(Data(("团员编号,期次,完成时间\n" + raw).utf8))
            _ = Quiz.parse(raw)
            _ = Quiz.parse("题|" + raw + "|B|" + raw)
            _ = PlanText.parse(raw)
        }
        let bytes = Generator<Data, Shrink.None<Data>>(run: { rng in
            Data((0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        })
        await propertyCheck(count: 500, input: bytes) { data in
            _ = try? CSV.decode(data)
            _ = CompletionBatch.parse(data)
            _ = AttachmentKind.check(fileName: "a.pdf", size: data.count, head: Array(data.prefix(8)))
        }
    }
}
