/// Where a page may send a browser after sign-in (`next=`): a path on this site and nothing
/// else. Browsers drop tabs and line breaks inside URLs and read a backslash as a slash, so
/// `/\t/evil.example` would become `//evil.example`; only a path written entirely in visible
/// ASCII, starting with one slash, is taken.
enum SafeRedirect {
    static let fallback = "/"

    /// `raw` when it is a same-site relative path, otherwise "/".
    static func localPath(_ raw: String?) -> String {
        guard let raw else { return fallback }
        let bytes = Array(raw.utf8)
        guard bytes.count >= 1, bytes.count < 500, bytes[0] == UInt8(ascii: "/") else { return fallback }
        if bytes.count > 1, bytes[1] == UInt8(ascii: "/") { return fallback }
        // Visible ASCII only: no space, no control character, nothing beyond ASCII (a browser
        // percent-encodes those itself), and no backslash.
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }) else { return fallback }
        return raw
    }
}
