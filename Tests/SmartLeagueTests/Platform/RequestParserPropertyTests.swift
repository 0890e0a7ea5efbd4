import Foundation
import PropertyBased
import Testing
@testable import SmartLeague

/// The request-level parsers the platform keeps (forms, cookies, QR text) with generated
/// Unicode and bytes: each answers with a value or nil, never a trap.
@Suite struct RequestParserPropertyTests {
    static let text = Generator<String, Shrink.None<String>>(run: { rng in
        let pieces = ["=", "&", "%", "%E4", "%ZZ", "%C3%28", "+", ";", " ", "\"", "sl_session", "a", "1", "\u{0}", "\u{301}", "中", "😀", "\t"]
        return (0..<Int.random(in: 0...30, using: &rng)).map { _ in
            Bool.random(using: &rng) ? pieces[Int.random(in: 0..<pieces.count, using: &rng)]
                : String(Character(Unicode.Scalar(UInt32.random(in: 0x20...0xD7FF, using: &rng)) ?? "?"))
        }.joined()
    })

    @Test func formsCookiesAndCodesParseOrRefuse() async {
        await propertyCheck(count: 2000, input: Self.text) { raw in
            if let fields = URLEncodedForm.fields(Substring(raw)) { #expect(fields.count <= raw.utf8.count + 1) }
            _ = URLEncodedForm.isMediaType(raw)
            _ = CookieHeader.value(named: "sl_session", in: raw)
            if let code = try? QRCode(raw) { #expect(code.size >= 21) }
            let next = SafeRedirect.localPath(raw)
            #expect(next == "/" || next == raw)
        }
    }
}
