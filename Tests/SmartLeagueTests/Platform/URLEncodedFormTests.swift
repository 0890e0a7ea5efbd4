import Foundation
import Testing
@testable import SmartLeague

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

@Suite struct MediaTypeAndCookieTests {
    @Test func theFormMediaTypeIsRecognisedWithOrWithoutParameters() {
        #expect(URLEncodedForm.isMediaType("application/x-www-form-urlencoded"))
        #expect(URLEncodedForm.isMediaType("Application/X-WWW-Form-URLEncoded; charset=UTF-8"))
        #expect(URLEncodedForm.isMediaType(" application/x-www-form-urlencoded ;charset=utf-8"))
        #expect(!URLEncodedForm.isMediaType("multipart/form-data; boundary=x"))
        #expect(!URLEncodedForm.isMediaType("application/x-www-form-urlencodedx"))
        #expect(!URLEncodedForm.isMediaType(""))
    }

    @Test func oneCookieIsReadFromTheHeader() {
        #expect(CookieHeader.value(named: "sl_session", in: "sl_session=abc-_1") == "abc-_1")
        #expect(CookieHeader.value(named: "sl_session", in: "theme=dark; sl_session=abc ;x=1") == "abc")
        #expect(CookieHeader.value(named: "sl_session", in: "a=1;sl_session=\"q\"") == "q")
        #expect(CookieHeader.value(named: "sl_session", in: "xsl_session=1; sl_sessionx=2") == nil)
        #expect(CookieHeader.value(named: "sl_session", in: "sl_session=") == "")
        #expect(CookieHeader.value(named: "sl_session", in: "sl_session=a=b") == "a=b")
        #expect(CookieHeader.value(named: "sl_session", in: "") == nil)
    }
}

@Suite struct JSONTextTests {
    @Test func stringsAreQuotedAsJSONDecodersReadThem() throws {
        let texts = ["学习完成，已计入本期参学。答对 1/2 题。", "a\"b\\c\nd\te\u{01}", ""]
        for text in texts {
            let decoded = try JSONDecoder().decode([String].self, from: Data("[\(JSONText.quoted(text))]".utf8))
            #expect(decoded == [text])
        }
        #expect(JSONText.quoted("\u{1f}") == "\"\\u001f\"")
    }
}
