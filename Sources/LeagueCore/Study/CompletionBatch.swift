import Foundation

/// A batch of completions from outside (the national platform's export), as CSV with the headers
/// 团员编号,期次,完成时间 or as JSON: `[{"memberNumber": …, "episode": "12-5", "completedAt": …}]`
/// (or the same array under "completions"). A broken file is refused whole; a broken item is
/// reported on its own line and the others go on.
public enum CompletionBatch {
    public struct Item: Sendable, Equatable {
        /// Line of the CSV file, or 1-based position in the JSON array.
        public let line: Int
        public let memberNumber: String
        public let episode: String
        public let completedAt: Date?
        /// Why this item cannot be taken, found while reading it.
        public let problem: String?
    }

    public static let headers = ["团员编号", "期次", "完成时间"]
    public static let maximumItems = 200_000

    public struct Problem: Error, Equatable, Sendable {
        public let message: String
        public init(_ message: String) { self.message = message }
    }

    public static func parse(_ data: Data) -> Result<[Item], Problem> {
        guard !data.isEmpty else { return .failure(Problem("文件是空的")) }
        let first = data.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
        return first == UInt8(ascii: "[") || first == UInt8(ascii: "{") ? json(data) : csv(data)
    }

    private static func csv(_ data: Data) -> Result<[Item], Problem> {
        let records: [CSV.Record]
        do {
            records = try CSV.records(try CSV.decode(data), maximumRows: maximumItems + 1)
        } catch {
            return .failure(Problem(error.message))
        }
        guard let header = records.first, header.cells.prefix(3).map({ $0.trimmingCharacters(in: .whitespaces) }) == headers else {
            return .failure(Problem("第一行应为表头：\(headers.joined(separator: ","))"))
        }
        return .success(records.dropFirst().map { record in
            let cells = record.cells.map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3 else {
                return Item(line: record.line, memberNumber: cells.first ?? "", episode: "", completedAt: nil, problem: "应有 3 列，实有 \(cells.count) 列")
            }
            return item(line: record.line, memberNumber: cells[0], episode: cells[1], time: cells[2])
        })
    }

    private static func json(_ data: Data) -> Result<[Item], Problem> {
        guard let top = try? JSONSerialization.jsonObject(with: data) else { return .failure(Problem("不是有效的 JSON")) }
        guard let list = (top as? [Any]) ?? ((top as? [String: Any])?["completions"] as? [Any]) else {
            return .failure(Problem("JSON 应为数组，或带 completions 数组的对象"))
        }
        guard list.count <= maximumItems else { return .failure(Problem("一次最多导入 \(maximumItems) 条")) }
        return .success(list.enumerated().map { index, element in
            guard let object = element as? [String: Any], let member = object["memberNumber"] as? String,
                  let episode = object["episode"] as? String, let time = object["completedAt"] as? String else {
                return Item(line: index + 1, memberNumber: "", episode: "", completedAt: nil,
                            problem: "应为含 memberNumber、episode、completedAt 三个文字字段的对象")
            }
            return item(line: index + 1, memberNumber: member.trimmingCharacters(in: .whitespaces),
                        episode: episode.trimmingCharacters(in: .whitespaces), time: time.trimmingCharacters(in: .whitespaces))
        })
    }

    private static func item(line: Int, memberNumber: String, episode: String, time: String) -> Item {
        let at = ChinaClock.parse(time)
        let invisible = (memberNumber + episode).unicodeScalars.contains { $0.properties.generalCategory == .control }
        let problem = invisible ? "含有不可见的控制字符" : memberNumber.isEmpty ? "缺少团员编号" : episode.isEmpty ? "缺少期次"
            : at == nil ? "完成时间「\(time)」应为 2026-11-29 10:30 或带时区的 ISO 8601 时间" : nil
        return Item(line: line, memberNumber: memberNumber, episode: episode, completedAt: at, problem: problem)
    }
}

/// Times as people in China write them: `2026-11-29 10:30[:15]` in Beijing time, or ISO 8601
/// with its own offset.
public enum ChinaClock {
    /// Beijing time: a fixed offset, since China has had no daylight saving since 1991.
    public static let zone = TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt

    public static func parse(_ text: String) -> Date? {
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: text) { return date }
        // A browser's datetime-local field sends 2026-11-29T10:30, without an offset.
        let parts = text.replacingOccurrences(of: "T", with: " ").split(separator: " ")
        guard parts.count == 2, let day = CalendarDate(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false).map { ASCIIDigits.number($0, maximumDigits: 2) }
        guard (2...3).contains(clock.count), let hour = clock[0], let minute = clock[1],
              (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        let second: Int
        if clock.count == 3 {
            guard let typed = clock[2], (0..<60).contains(typed) else { return nil }
            second = typed
        } else {
            second = 0
        }
        var components = DateComponents()
        components.year = day.year
        components.month = day.month
        components.day = day.day
        components.hour = hour
        components.minute = minute
        components.second = second
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = ChinaClock.zone
        return calendar.date(from: components)
    }
}
