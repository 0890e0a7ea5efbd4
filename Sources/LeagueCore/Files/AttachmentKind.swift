import Foundation

/// What an uploaded attachment (附件) may be: documents and scans people actually send
/// (PDF, photos, Word and Excel files), recognised by their first bytes, not by their name alone.
public enum AttachmentKind: String, Codable, Sendable, CaseIterable {
    case pdf, png, jpeg, docx, xlsx

    /// 20 MB: a scanned form of several pages fits; a video does not.
    public static let maximumBytes = 20 * 1024 * 1024

    public var mediaType: String {
        switch self {
        case .pdf: "application/pdf"
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }

    public var isImage: Bool { self == .png || self == .jpeg }

    private var extensions: [String] {
        switch self {
        case .pdf: ["pdf"]
        case .png: ["png"]
        case .jpeg: ["jpg", "jpeg"]
        case .docx: ["docx"]
        case .xlsx: ["xlsx"]
        }
    }

    private func matches(_ head: [UInt8]) -> Bool {
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        switch self {
        case .pdf: return starts(Array("%PDF-".utf8))
        case .png: return starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        case .jpeg: return starts([0xFF, 0xD8, 0xFF])
        // Office files are zip archives.
        case .docx, .xlsx: return starts([0x50, 0x4B, 0x03, 0x04])
        }
    }

    public static let acceptedList = "PDF、PNG、JPG、Word（.docx）或 Excel（.xlsx）"

    /// The kind of a file from its name and its first bytes, or why it is refused.
    public static func check(fileName: String, size: Int, head: [UInt8], allowed: [AttachmentKind] = allCases) -> Result<AttachmentKind, Problem> {
        guard size > 0 else { return .failure(Problem("文件是空的，请重新选择")) }
        guard size <= maximumBytes else { return .failure(Problem("文件超过 20 MB，请压缩后再上传")) }
        let suffix = fileName.split(separator: ".").last.map { $0.lowercased() } ?? ""
        guard let kind = allowed.first(where: { $0.extensions.contains(suffix) }) else {
            return .failure(Problem("只能上传 \(allowed == allCases ? acceptedList : allowed.map { $0.rawValue.uppercased() }.joined(separator: "、")) 文件"))
        }
        guard kind.matches(head) else { return .failure(Problem("文件内容与扩展名 .\(suffix) 不符，可能已损坏或被改名")) }
        return .success(kind)
    }

    /// The name to keep: no folders, no control characters, at most 100 characters (the suffix kept).
    public static func cleanName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let visible = String(last.unicodeScalars.filter { !$0.properties.generalCategory.isControl && $0 != "\"" }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        guard visible.count > 100 else { return visible.isEmpty ? "附件" : visible }
        // Keep a short suffix such as ".pdf"; a name without one, or with a long one, is just cut.
        let parts = visible.split(separator: ".")
        let suffix = parts.count > 1 ? parts.last.map { $0.count <= 10 ? "." + $0 : "" } ?? "" : ""
        return String(visible.prefix(100 - suffix.count)) + suffix
    }

    public struct Problem: Error, Equatable, Sendable {
        public let message: String
        public init(_ message: String) { self.message = message }
    }
}

private extension Unicode.GeneralCategory {
    var isControl: Bool { self == .control || self == .format }
}
