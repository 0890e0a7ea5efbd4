import LeagueCore
import Testing

@Suite struct OrgLifeRulesTests {
    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test func periodsFollowTheCadence() {
        #expect(Cadence.monthly.periods(from: day("2026-01-15"), to: day("2026-04-02")) == ["2026-01", "2026-02", "2026-03", "2026-04"])
        #expect(Cadence.quarterly.periods(from: day("2026-02-01"), to: day("2026-07-01")) == ["2026-Q1", "2026-Q2", "2026-Q3"])
        #expect(Cadence.yearly.periods(from: day("2025-12-01"), to: day("2026-01-01")) == ["2025", "2026"])
        #expect(Cadence.asNeeded.periods(from: day("2026-01-01"), to: day("2026-12-31")) == [])
        #expect(Cadence.monthly.periods(from: day("2026-05-01"), to: day("2026-04-01")) == [])
        #expect(Cadence.label(ofPeriod: "2026-Q2") == "2026年第2季度")
        #expect(Cadence.label(ofPeriod: "2026-03") == "2026年3月")
    }

    @Test func complianceCountsThePeriodsWithoutAMeeting() {
        let held: [MeetingKind: [CalendarDate]] = [
            .generalMeeting: [day("2026-02-10"), day("2026-03-01")],   // two in Q1 still count once
            .committeeMeeting: [day("2026-01-05"), day("2026-03-05"), day("2025-12-30")],   // last year's does not count
            .lesson: [day("2026-04-20")],
            .groupMeeting: [day("2026-01-01")],
        ]
        let cadence = Dictionary(uniqueKeysWithValues: MeetingKind.allCases.map { ($0, $0.defaultCadence) })
        let compliance = Compliance(held: held, cadence: cadence, from: day("2026-01-01"), to: day("2026-04-30"))
        let byKind = Dictionary(uniqueKeysWithValues: compliance.items.map { ($0.kind, $0) })
        #expect(byKind[.generalMeeting]?.due == 2)
        #expect(byKind[.generalMeeting]?.missing == ["2026-Q2"])
        #expect(byKind[.committeeMeeting]?.missing == ["2026-02", "2026-04"])
        #expect(byKind[.lesson]?.missing == ["2026-Q1"])
        #expect(byKind[.groupMeeting] == nil)
        // 1 of 2 + 2 of 4 + 1 of 2 = 4 of 8
        #expect(compliance.due == 8)
        #expect(compliance.met == 4)
        #expect(compliance.percent == 50)
        #expect(Compliance(held: [:], cadence: cadence, from: day("2026-05-01"), to: day("2026-04-30")).percent == 100)
    }

    @Test func aCityMayChangeTheCadence() {
        var cadence = Dictionary(uniqueKeysWithValues: MeetingKind.allCases.map { ($0, $0.defaultCadence) })
        cadence[.committeeMeeting] = .quarterly
        let compliance = Compliance(held: [.committeeMeeting: [day("2026-02-01")]], cadence: cadence,
                                    from: day("2026-01-01"), to: day("2026-03-31"))
        #expect(compliance.items.first { $0.kind == .committeeMeeting }?.missing == [])
    }
}
