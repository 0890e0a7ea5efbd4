import Testing
@testable import LeagueCore

@Suite struct URLEncodedFormTests {
    @Test func fieldsAreDecodedAsBrowsersSendThem() {
        let fields = URLEncodedForm.fields("csrf=c12&q1=A&name=%E7%8E%8B+%E5%B0%8F%E6%98%8E&empty=&flag&q1=B")
        #expect(fields == ["csrf": "c12", "q1": "B", "name": "王 小明", "empty": "", "flag": ""])
        #expect(URLEncodedForm.fields("") == [:])
        #expect(URLEncodedForm.fields("a=%2B1%26b") == ["a": "+1&b"])
    }

    @Test func brokenEscapesAreRefused() {
        #expect(URLEncodedForm.fields("a=%E7%8E") == nil)
        #expect(URLEncodedForm.fields("a=%ZZ") == nil)
    }
}
