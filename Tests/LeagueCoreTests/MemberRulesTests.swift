import Foundation
import Testing
@testable import LeagueCore

@Suite struct ResidentIDTests {
    let today = CalendarDate("2026-11-29")!

    @Test(arguments: ["330203200001011231", "11010519491231002X", "11010519491231002x", "330282200806150015", "3302 0320 0002 2912 47"])
    func acceptsValidNumbers(raw: String) throws {
        let id = try ResidentID(raw, today: today)
        #expect(id.value.count == 18)
        #expect(id.value == id.value.uppercased())
    }

    @Test func readsBirthDateAndGender() throws {
        let man = try ResidentID("330203200001011231", today: today)
        #expect(man.birthDate == CalendarDate("2000-01-01"))
        #expect(man.gender == .male)
        let woman = try ResidentID("330203200002291247", today: today)
        #expect(woman.birthDate == CalendarDate("2000-02-29"))
        #expect(woman.gender == .female)
        #expect(man.masked == "330203********1231")
    }

    @Test(arguments: [
        ("33020320000101123", ResidentID.Problem.length),
        ("3302032000010112311", .length),
        ("33020320000101123A", .characters),
        ("X30203200001011231", .characters),
        ("990203200001011231", .area),
        ("330203200002301231", .birthDate),   // 30 February
        ("330203199902291231", .birthDate),   // 1999 was not a leap year
        ("330203203001011231", .futureBirthDate),
        ("330203200001011232", .checkDigit(expected: "1")),
        ("110105194912310021", .checkDigit(expected: "X")),
    ])
    func refusesBadNumbers(raw: String, problem: ResidentID.Problem) {
        #expect(ResidentID.parse(raw, today: today) == .failure(problem))
    }
}

@Suite struct MembershipAgeTests {
    @Test func agesTurnOnTheBirthday() {
        let birth = CalendarDate("2000-06-15")!
        #expect(MembershipAge.age(born: birth, on: CalendarDate("2028-06-14")!) == 27)
        #expect(MembershipAge.age(born: birth, on: CalendarDate("2028-06-15")!) == 28)
        #expect(!MembershipAge.isOverage(born: birth, on: CalendarDate("2028-06-14")!))
        #expect(MembershipAge.isOverage(born: birth, on: CalendarDate("2028-06-15")!))
    }

    @Test func bandsCoverBirthDatesWithoutGaps() {
        let today = CalendarDate("2026-11-29")!
        for band in AgeBand.allCases {
            let dates = band.birthDates(on: today)
            #expect(AgeBand.of(age: MembershipAge.age(born: dates.upperBound, on: today)) == band)
            if band != .from28 {
                #expect(AgeBand.of(age: MembershipAge.age(born: dates.lowerBound, on: today)) == band)
            }
        }
        #expect(AgeBand.from18to22.birthDates(on: today).upperBound.next == AgeBand.under18.birthDates(on: today).lowerBound)
    }

    @Test func masksPhones() {
        #expect(PhoneMask.mask("13805741234") == "138****1234")
    }
}

@Suite struct MemberFieldsTests {
    let today = CalendarDate("2026-11-29")!
    var good: [String: String] {
        ["name": "王小明", "residentID": "330203200001011231", "gender": "男", "ethnicity": "汉族", "phone": "13805741234",
         "education": "本科", "occupation": "在职", "partyStatus": "", "joinedOn": "2014-05-04", "memberNumber": "NB2014001"]
    }

    @Test func acceptsLabelsAsACSVWouldHaveThem() throws {
        let draft = try MemberFields.parse(good, today: today).get()
        #expect(draft.education == .bachelor)
        #expect(draft.partyStatus == PartyStatus.none)
        #expect(draft.gender == .male)
    }

    @Test func genderAndBirthDateMustAgreeWithTheID() {
        var values = good
        values["gender"] = "女"
        values["birthDate"] = "2000-01-02"
        guard case .failure(let problems) = MemberFields.parse(values, today: today) else { Issue.record("accepted"); return }
        #expect(problems.messages["gender"]?.contains("与身份证号码不符") == true)
        #expect(problems.messages["birthDate"]?.contains("2000-01-01") == true)
    }

    @Test func joiningAgeIsFourteenToTwentySeven() {
        var values = good
        values["joinedOn"] = "2013-12-31"   // 13 years old
        guard case .failure(let young) = MemberFields.parse(values, today: today) else { Issue.record("accepted"); return }
        #expect(young.messages["joinedOn"]?.contains("13 岁") == true)
        values["joinedOn"] = "2028-01-01"
        guard case .failure(let future) = MemberFields.parse(values, today: today) else { Issue.record("accepted"); return }
        #expect(future.messages["joinedOn"] == "入团日期不能晚于今天")
    }

    @Test func everyWrongFieldIsNamed() {
        let values = ["name": "王", "residentID": "123", "ethnicity": "汉", "education": "博士后", "joinedOn": "2020-13-01",
                      "memberNumber": "编号", "developmentNumber": "123"]
        guard case .failure(let problems) = MemberFields.parse(values, today: today) else { Issue.record("accepted"); return }
        #expect(Set(problems.messages.keys) == ["name", "residentID", "ethnicity", "education", "occupation", "joinedOn",
                                                 "memberNumber", "developmentNumber"])
        #expect(problems.messages["ethnicity"] == "请写民族全称，如“汉族”")
    }
}

@Suite struct CSVTests {
    @Test func writesCellsExcelReadsAsText() {
        #expect(CSV.line(["a", "b,c", "say \"hi\"", "=1+1", "-5", "@x", "line\nbreak"])
                == "a,\"b,c\",\"say \"\"hi\"\"\",'=1+1,'-5,'@x,\"line\nbreak\"\r\n")
    }

    @Test func readsQuotedFieldsAndLineEnds() throws {
        let records = try CSV.records("姓名,备注\r\n王小明,\"他说\"\"好\"\"，\n第二行\"\r\n\r\n李四,x\n")
        #expect(records == [CSV.Record(line: 1, cells: ["姓名", "备注"]),
                            CSV.Record(line: 2, cells: ["王小明", "他说\"好\"，\n第二行"]),
                            CSV.Record(line: 5, cells: ["李四", "x"])])
    }

    @Test func decodesUTF8WithBOMAndGBK() throws {
        #expect(try CSV.decode(Data([0xEF, 0xBB, 0xBF]) + Data("姓名".utf8)) == "姓名")
        #expect(try CSV.decode(Data([0xD0, 0xD5, 0xC3, 0xFB])) == "姓名")   // GBK
        #expect(throws: CSV.Problem.empty) { try CSV.decode(Data()) }
        #expect(throws: CSV.Problem.notText) { try CSV.decode(Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00])) }
    }

    @Test func refusesBrokenFiles() {
        #expect(throws: CSV.Problem.unclosedQuote(line: 2)) { try CSV.records("a,b\n\"open,c\n") }
        #expect(throws: CSV.Problem.fieldTooLong(line: 1, limit: 10)) { try CSV.records(String(repeating: "x", count: 11), maximumField: 10) }
    }
}
