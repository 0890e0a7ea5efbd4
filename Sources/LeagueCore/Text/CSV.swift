import Foundation

/// CSV as Excel in China writes and reads it: UTF-8 with or without a byte-order mark, or GBK
/// (GB 18030), comma-separated, fields quoted with doubled quotes, CRLF or LF line ends.
public enum CSV {
    public static let byteOrderMark = "\u{FEFF}"

    // MARK: Writing

    /// One line of a file to be opened in a spreadsheet. A cell starting with = + - @ (or a tab or
    /// carriage return) is prefixed with an apostrophe, so it is shown as text, never run as a formula.
    public static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\r\n"
    }

    static func cell(_ raw: String) -> String {
        var text = raw
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    // MARK: Reading

    public enum Problem: Error, Equatable, Sendable {
        case empty
        case notText
        case unclosedQuote(line: Int)
        case fieldTooLong(line: Int, limit: Int)
        case tooManyRows(limit: Int)

        public var message: String {
            switch self {
            case .empty: "文件是空的"
            case .notText: "文件不是文本格式的 CSV（请在 Excel 中“另存为 CSV”）"
            case .unclosedQuote(let line): "第 \(line) 行的引号没有闭合"
            case .fieldTooLong(let line, let limit): "第 \(line) 行有超过 \(limit) 个字符的单元格"
            case .tooManyRows(let limit): "文件超过 \(limit) 行，请分批导入"
            }
        }
    }

    public static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// Decodes the bytes: UTF-8 (a BOM is dropped) when they are valid UTF-8, otherwise GB 18030.
    /// A NUL byte anywhere means the file is not text (and no database keeps one in text).
    public static func decode(_ data: Data) throws(Problem) -> String {
        guard !data.isEmpty else { throw .empty }
        if data.contains(0) { throw .notText }
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(data: bytes, encoding: .utf8) { return text }
        if let text = String(data: data, encoding: gb18030) { return text }
        throw .notText
    }

    /// A record with the line it started on (1-based, the header being line 1).
    public struct Record: Sendable, Equatable {
        public let line: Int
        public let cells: [String]
    }

    /// Splits text into records; blank lines are skipped.
    public static func records(_ text: String, maximumField: Int = 1000, maximumRows: Int = 1_000_000) throws(Problem) -> [Record] {
        var records: [Record] = []
        var cells: [String] = []
        var cell = ""
        var inQuotes = false
        var line = 1, recordLine = 1
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func finishRecord() throws(Problem) {
            cells.append(cell)
            cell = ""
            if !(cells.count == 1 && cells[0].trimmingCharacters(in: .whitespaces).isEmpty) {
                records.append(Record(line: recordLine, cells: cells))
                if records.count > maximumRows { throw .tooManyRows(limit: maximumRows - 1) }
            }
            cells = []
        }
        while let scalar = pending ?? scalars.next() {
            pending = nil
            if inQuotes {
                if scalar == "\"" {
                    let next = scalars.next()
                    if next == "\"" { cell.unicodeScalars.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    if scalar == "\n" { line += 1 }
                    cell.unicodeScalars.append(scalar)
                }
            } else {
                switch scalar {
                case "\"" where cell.isEmpty: inQuotes = true
                case ",": cells.append(cell); cell = ""
                case "\r":
                    let next = scalars.next()
                    if next != "\n" { pending = next }
                    try finishRecord()
                    line += 1
                    recordLine = line
                case "\n":
                    try finishRecord()
                    line += 1
                    recordLine = line
                default: cell.unicodeScalars.append(scalar)
                }
            }
            if cell.unicodeScalars.count > maximumField { throw .fieldTooLong(line: line, limit: maximumField) }
        }
        if inQuotes { throw .unclosedQuote(line: recordLine) }
        if !cell.isEmpty || !cells.isEmpty { try finishRecord() }
        return records
    }
}
