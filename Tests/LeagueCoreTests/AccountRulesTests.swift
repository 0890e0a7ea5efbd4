import Foundation
import Testing
@testable import LeagueCore

@Suite struct PasswordPolicyTests {
    @Test(arguments: [
        ("abc1234", PasswordPolicy.Problem.tooShort),
        ("abcdefgh", .needsLetterAndDigit),
        ("12345678", .needsLetterAndDigit),
        (String(repeating: "a1", count: 65), .tooLong),
    ])
    func refusesWeakPasswords(password: String, problem: PasswordPolicy.Problem) {
        #expect(PasswordPolicy.problem(with: password) == problem)
    }

    @Test func acceptsLettersAndDigits() {
        #expect(PasswordPolicy.problem(with: "abcd1234") == nil)
        #expect(PasswordPolicy.problem(with: "团员Abc12345") == nil)
    }

    @Test func oneTimePasswordsSatisfyThePolicy() {
        for _ in 0..<200 {
            let password = PasswordPolicy.generateOneTime()
            #expect(PasswordPolicy.problem(with: password) == nil, "\(password)")
            #expect(password.count == 12)
        }
    }
}

@Suite struct RateLimitTests {
    @Test func theLimitIsInclusiveAndMinutesRoundUp() {
        let limit = SignInThrottle.perNameAndAddress
        #expect(limit.allows(count: 5) && !limit.allows(count: 6))
        #expect(RateLimit.minutesLeft(windowEnds: 1_000 + 14 * 60 + 1, now: 1_000) == 15)
        #expect(RateLimit.minutesLeft(windowEnds: 1_000, now: 1_000) == 1)
    }
}

@Suite struct FourEyesTests {
    let city = TreePath(ids: [1]), district = TreePath(ids: [1, 2]), branch = TreePath(ids: [1, 2, 30]), other = TreePath(ids: [1, 3])

    @Test func theLevelAboveApproves() {
        #expect(FourEyes.mayApprove(district, approverUnit: city, appointedFrom: city, isProposer: false))
        #expect(FourEyes.mayApprove(branch, approverUnit: district, appointedFrom: district, isProposer: false))
    }

    @Test func aSecondAdministratorOfTheSameUnitDoesNot() {
        // The district's own administrator made a second one: not an approver of the district.
        #expect(!FourEyes.mayApprove(district, approverUnit: district, appointedFrom: district, isProposer: false))
        // One the city appointed to the district is.
        #expect(FourEyes.mayApprove(district, approverUnit: district, appointedFrom: city, isProposer: false))
        // The system appointed the first administrator of the city.
        #expect(FourEyes.mayApprove(city, approverUnit: city, appointedFrom: nil, isProposer: false))
        #expect(!FourEyes.mayApprove(city, approverUnit: city, appointedFrom: city, isProposer: false))
    }

    @Test func neitherTheProposerNorAnyoneOutsideApproves() {
        #expect(!FourEyes.mayApprove(branch, approverUnit: city, appointedFrom: nil, isProposer: true))
        #expect(!FourEyes.mayApprove(branch, approverUnit: other, appointedFrom: nil, isProposer: false))
        #expect(!FourEyes.mayApprove(district, approverUnit: branch, appointedFrom: city, isProposer: false))
    }
}

@Suite struct FormFieldTests {
    @Test func trimsAndLimitsText() throws {
        #expect(try FormField.text("  团支部  ", label: "名称", required: true, max: 10) == "团支部")
        #expect(try FormField.text("   ", label: "名称", required: false, max: 10) == nil)
        #expect(throws: FormField.Problem("请填写名称")) { try FormField.text(" ", label: "名称", required: true, max: 10) }
        #expect(throws: FormField.Problem("名称不能超过 3 个字")) { try FormField.text("一二三四", label: "名称", required: true, max: 3) }
        #expect(throws: FormField.Problem("名称含有不可见的控制字符")) { try FormField.text("a\u{0}b", label: "名称", required: true, max: 10) }
    }

    @Test func phones() throws {
        #expect(try FormField.phone("13805741234") == "13805741234")
        #expect(try FormField.phone("0574-87654321") == "0574-87654321")
        #expect(try FormField.phone("") == nil)
        for bad in ["1380574123", "23805741234", "0574-123", "574-87654321", "电话"] {
            #expect(throws: FormField.Problem.self) { try FormField.phone(bad) }
        }
    }

    @Test func calendarDates() throws {
        #expect(CalendarDate("2024-02-29")?.description == "2024-02-29")
        #expect(ASCIIDigits.padded(7, to: 3) == "007" && ASCIIDigits.padded(12_345, to: 3) == "12345" && ASCIIDigits.padded(0, to: 2) == "00")
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("2023-2-1") == nil)
        #expect(CalendarDate("2023-13-01") == nil)
        #expect(CalendarDate("2023-01-02")! < CalendarDate("2023-01-10")!)
        #expect(throws: FormField.Problem.self) { try FormField.date("2023/01/01", label: "成立日期") }
    }
}

@Suite struct UsernameTests {
    @Test func lowercasesAndChecksTheAlphabet() throws {
        #expect(try Username.check(" HaiShu.Admin_1 ") == "haishu.admin_1")
        for bad in ["ab", "1abc", "张三丰", "a b c", "abc!", String(repeating: "a", count: 33)] {
            #expect(throws: FormField.Problem.self, "\(bad)") { try Username.check(bad) }
        }
    }
}
