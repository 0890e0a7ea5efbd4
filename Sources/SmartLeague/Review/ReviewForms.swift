import LeagueCore

/// A branch opens its review for this year or the last.
struct OpenReviewForm: FormInput {
    var branch: String?
    var year: String?

    struct Valid: Sendable {
        let branchID: Int?
        let year: Int
    }

    /// Any other year is taken as this one.
    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let year = year.flatMap { Int($0) }.flatMap { (today.year - 1...today.year).contains($0) ? $0 : nil } ?? today.year
        return Valid(branchID: branch.flatMap { Int($0) }, year: year)
    }
}

/// The branch's review meeting and every member's rating.
struct ReviewResultForm: FormInput {
    var meetingOn: String?
    var present: String?
    /// Ratings arrive as rating-<member id>=<rating>, one select per member.
    var ratings: [String: String]

    init(from decoder: any Decoder) throws {
        let fields = try [String: String](from: decoder)
        meetingOn = fields["meetingOn"]
        present = fields["present"]
        ratings = fields.filter { $0.key.hasPrefix(Self.rating) }
    }

    static let rating = "rating-"

    struct Valid: Sendable {
        let meetingOn: CalendarDate
        let present: Int
        let ratings: [Int: ReviewRating]
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let meetingOn = check.check("meetingOn") { try FormField.date(self.meetingOn, label: "评议会日期", required: true) } ?? nil
        let present = check.check("present") {
            guard let present = Int(self.present ?? ""), present >= 0 else { throw FormField.Problem("实到人数应为非负整数") }
            return present
        }
        var chosen: [Int: ReviewRating] = [:]
        for (key, value) in ratings {
            if let member = Int(key.dropFirst(Self.rating.count)), let rating = ReviewRating(rawValue: value) { chosen[member] = rating }
        }
        guard let meetingOn, let present else { return nil }
        return Valid(meetingOn: meetingOn, present: present, ratings: chosen)
    }
}
