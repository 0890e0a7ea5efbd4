import Testing
@testable import LeagueCore

/// Working days with the State Council's calendar as data, and the steps of a 青年之声 item.
@Suite struct YouthVoiceRulesTests {
    static func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// 2026's Spring Festival and National Day as the city enters them.
    static let calendar = WorkingCalendar(
        holidays: Set(["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23",
                       "2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"].map(day)),
        makeUpWorkdays: Set(["2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"].map(day)))

    @Test func weekdaysFollowTheCalendar() {
        #expect(WorkingCalendar.weekday(Self.day("1970-01-01")) == 4)
        #expect(WorkingCalendar.weekday(Self.day("2026-12-02")) == 3)
        #expect(WorkingCalendar.weekday(Self.day("2026-12-06")) == 7)
        #expect(WorkingCalendar.weekday(Self.day("1969-12-29")) == 1)
        #expect(Self.calendar.isWorkingDay(Self.day("2026-02-14")))
        #expect(!Self.calendar.isWorkingDay(Self.day("2026-02-16")))
        #expect(!Self.calendar.isWorkingDay(Self.day("2026-02-15")))
        #expect(Self.calendar.isWorkingDay(Self.day("2026-02-24")))
    }

    @Test func deadlinesSkipHolidaysAndCountMakeUpDays() {
        let policy = VoicePolicy.standard
        // Received on the Friday before the Spring Festival: the Saturday worked is the first day,
        // then the holiday week passes, and the answer is due on the fifth working day.
        let spring = policy.deadlines(receivedOn: Self.day("2026-02-13"), calendar: Self.calendar)
        #expect(spring.accept == Self.day("2026-02-14"))
        #expect(spring.answer == Self.day("2026-02-27"))
        // Received the day before National Day: accepted after the week off, the Saturday worked counts.
        let national = policy.deadlines(receivedOn: Self.day("2026-09-30"), calendar: Self.calendar)
        #expect(national.accept == Self.day("2026-10-08"))
        #expect(national.answer == Self.day("2026-10-13"))
        // An ordinary week: Monday's question is accepted Tuesday and answered the next Monday.
        let plain = policy.deadlines(receivedOn: Self.day("2026-11-02"), calendar: WorkingCalendar())
        #expect(plain.accept == Self.day("2026-11-03") && plain.answer == Self.day("2026-11-09"))
        // Received on a Saturday: counting starts on Monday.
        #expect(WorkingCalendar().workingDay(1, after: Self.day("2026-11-07")) == Self.day("2026-11-09"))
        #expect(WorkingCalendar().workingDay(0, after: Self.day("2026-11-07")) == Self.day("2026-11-07"))
    }

    @Test func workingDaysBetweenTwoDays() {
        #expect(Self.calendar.workingDays(after: Self.day("2026-02-13"), through: Self.day("2026-02-27")) == 5)
        #expect(Self.calendar.workingDays(after: Self.day("2026-09-30"), through: Self.day("2026-10-13")) == 5)
        #expect(Self.calendar.workingDays(after: Self.day("2026-10-13"), through: Self.day("2026-10-13")) == 0)
        #expect(Self.calendar.workingDays(after: Self.day("2026-10-13"), through: Self.day("2026-10-01")) == 0)
        // Counting forward and counting between agree on every day of a year.
        var start = Self.day("2026-01-01")
        while start.year == 2026 {
            for count in [1, 5, 15] {
                let due = Self.calendar.workingDay(count, after: start)
                #expect(Self.calendar.workingDays(after: start, through: due) == count)
                #expect(Self.calendar.isWorkingDay(due))
            }
            start = start.adding(days: 1)
        }
    }

    @Test func aCalendarWithoutWorkingDaysDoesNotLoop() {
        let days = (0..<4000).map { Self.day("2026-01-01").adding(days: $0) }
        let never = WorkingCalendar(holidays: Set(days))
        // Weekends are off anyway and every weekday is a holiday: the count gives up after ten years.
        let given = never.workingDay(1, after: Self.day("2026-01-01"))
        #expect(given > Self.day("2035-01-01") && given < Self.day("2037-01-01"))
    }

    @Test func theStepsOfAnItem() throws {
        try VoiceSteps.accept(.submitted)
        #expect(throws: VoiceRefusal.self) { try VoiceSteps.accept(.accepted) }
        try VoiceSteps.answer(.submitted)
        try VoiceSteps.answer(.accepted)
        #expect(throws: VoiceRefusal("该诉求已答复，请查看已有的答复")) { try VoiceSteps.answer(.answered) }
        #expect(throws: VoiceRefusal.self) { try VoiceSteps.pass(.closed) }
        let policy = VoicePolicy.standard
        #expect(try VoiceSteps.rate(.answered, .satisfied, reopen: false, reopenedBefore: 0, policy: policy) == .closed)
        #expect(try VoiceSteps.rate(.answered, .dissatisfied, reopen: true, reopenedBefore: 0, policy: policy) == .accepted)
        // Once only, by policy; only when dissatisfied; only an answered item.
        #expect(throws: VoiceRefusal.self) { try VoiceSteps.rate(.answered, .dissatisfied, reopen: true, reopenedBefore: 1, policy: policy) }
        #expect(throws: VoiceRefusal.self) { try VoiceSteps.rate(.answered, .satisfied, reopen: true, reopenedBefore: 0, policy: policy) }
        #expect(throws: VoiceRefusal.self) { try VoiceSteps.rate(.closed, .satisfied, reopen: false, reopenedBefore: 0, policy: policy) }
        #expect(throws: VoiceRefusal.self) { try VoiceSteps.rate(.accepted, .satisfied, reopen: false, reopenedBefore: 0, policy: policy) }
        let twice = VoicePolicy(acceptDays: 1, answerDays: 5, reopenLimit: 2)
        #expect(try VoiceSteps.rate(.answered, .dissatisfied, reopen: true, reopenedBefore: 1, policy: twice) == .accepted)
    }

    @Test func overdueByTheDeadlineOfTheStatus() {
        let accept = Self.day("2026-11-03"), answer = Self.day("2026-11-09")
        #expect(!VoiceSteps.overdue(.submitted, acceptDue: accept, answerDue: answer, today: accept))
        #expect(VoiceSteps.overdue(.submitted, acceptDue: accept, answerDue: answer, today: Self.day("2026-11-04")))
        #expect(!VoiceSteps.overdue(.accepted, acceptDue: accept, answerDue: answer, today: Self.day("2026-11-09")))
        #expect(VoiceSteps.overdue(.accepted, acceptDue: accept, answerDue: answer, today: Self.day("2026-11-10")))
        #expect(!VoiceSteps.overdue(.answered, acceptDue: accept, answerDue: answer, today: Self.day("2026-12-10")))
    }
}

/// The figures of 青年之声: speed in working days, overdue, satisfaction and reopening.
@Suite struct VoiceFiguresTests {
    static func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test func percentilesByNearestRank() {
        #expect(VoiceFigures.percentile([], 50) == nil)
        #expect(VoiceFigures.percentile([7], 90) == 7)
        #expect(VoiceFigures.percentile([5, 1, 3, 2, 4], 50) == 3)
        #expect(VoiceFigures.percentile(Array(1...10), 90) == 9)
        #expect(VoiceFigures.percentile(Array(1...10), 100) == 10)
    }

    @Test func figuresOfASetOfItems() {
        let monday = Self.day("2026-11-02"), due = Self.day("2026-11-09")
        let records = [
            // Answered in two working days, satisfied.
            VoiceRecord(status: .closed, submittedOn: monday, acceptedOn: monday, answeredOn: Self.day("2026-11-04"), answerDue: due,
                        rating: .satisfied, reopened: false),
            // Answered late (after the weekend, past the Monday deadline), dissatisfied and reopened.
            VoiceRecord(status: .accepted, submittedOn: monday, acceptedOn: Self.day("2026-11-03"), answeredOn: Self.day("2026-11-10"),
                        answerDue: due, rating: .dissatisfied, reopened: true),
            // Still waiting, past its deadline.
            VoiceRecord(status: .submitted, submittedOn: monday, acceptedOn: nil, answeredOn: nil, answerDue: due, rating: nil, reopened: false),
            // Waiting, still in time.
            VoiceRecord(status: .submitted, submittedOn: Self.day("2026-11-10"), acceptedOn: nil, answeredOn: nil,
                        answerDue: Self.day("2026-11-17"), rating: nil, reopened: false),
        ]
        let figures = VoiceFigures.of(records, calendar: WorkingCalendar(), today: Self.day("2026-11-11"))
        #expect(figures.items == 4 && figures.answered == 2 && figures.overdue == 2)
        #expect(figures.acceptDaysP50 == 0 && figures.acceptDaysP90 == 1)
        #expect(figures.answerDaysP50 == 2 && figures.answerDaysP90 == 6)
        #expect(figures.rated == 2 && figures.satisfied == 1 && figures.reopened == 1)
        #expect(figures.overdueShare == 0.5 && figures.satisfactionShare == 0.5 && figures.reopenShare == 0.5)
        #expect(VoiceFigures.of([], calendar: WorkingCalendar(), today: Self.day("2026-11-11")).overdueShare == nil)
    }
}

/// 面对面 on its cadence, proposals through their steps, and contact coverage.
@Suite struct OutreachRulesTests {
    static func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test func monthlyMeetingsAreDueOnlyOncePeriodsEnd() {
        let held = [Self.day("2026-01-15"), Self.day("2026-03-02"), Self.day("2026-11-20"), Self.day("2025-02-10")]
        let months = OutreachCadence.monthly.compliance(heldOn: held, year: 2026, today: Self.day("2026-11-25"))
        #expect(months.count == 12)
        #expect(months[0].held == true && months[1].held == false && months[2].held == true)
        // The current month: held already; December not yet due.
        #expect(months[10].held == true && months[11].held == nil)
        let december = OutreachCadence.monthly.compliance(heldOn: [], year: 2026, today: Self.day("2026-12-02"))
        #expect(december[10].held == false && december[11].held == nil)
    }

    @Test func quarterlyAndYearly() {
        let held = [Self.day("2026-02-01"), Self.day("2026-08-08")]
        let quarters = OutreachCadence.quarterly.compliance(heldOn: held, year: 2026, today: Self.day("2026-12-02"))
        #expect(quarters.map(\.held) == [true, false, true, nil])
        #expect(OutreachCadence.yearly.compliance(heldOn: held, year: 2026, today: Self.day("2026-12-02")).map(\.held) == [true])
        #expect(OutreachCadence.yearly.compliance(heldOn: [], year: 2025, today: Self.day("2026-12-02")).map(\.held) == [false])
    }

    @Test func proposalsMoveOneStepAtATime() throws {
        try ProposalStatus.submitted.advance(to: .registered, reply: nil, outcome: nil)
        #expect(throws: VoiceRefusal.self) { try ProposalStatus.submitted.advance(to: .assigned, reply: nil, outcome: nil) }
        #expect(throws: VoiceRefusal("请填写答复内容")) { try ProposalStatus.assigned.advance(to: .replied, reply: "", outcome: nil) }
        try ProposalStatus.assigned.advance(to: .replied, reply: "已答复", outcome: nil)
        #expect(throws: VoiceRefusal.self) { try ProposalStatus.replied.advance(to: .concluded, reply: nil, outcome: nil) }
        try ProposalStatus.replied.advance(to: .concluded, reply: nil, outcome: "纳入市政府民生实事")
        #expect(throws: VoiceRefusal("该建议（提案）已办结")) { try ProposalStatus.concluded.advance(to: .concluded, reply: nil, outcome: "x") }
    }

    @Test func coverageCountsCadresAtTheTarget() {
        #expect(ContactCoverage.share(contactsPerCadre: [], target: 10) == nil)
        #expect(ContactCoverage.share(contactsPerCadre: [10, 3, 12, 0], target: 10) == 0.5)
        #expect(ContactCoverage.share(contactsPerCadre: [1, 0], target: 0) == 0.5)
    }
}
