import Foundation
import Testing
@testable import LeagueCore

@Suite struct VolunteeringRulesTests {
    @Test func starsFollowTheHoursTable() {
        let policy = StarPolicy.standard
        #expect(policy.stars(minutes: 99 * 60 + 59) == 0)
        #expect(policy.stars(minutes: 100 * 60) == 1)
        #expect(policy.stars(minutes: 1499 * 60) == 4)
        #expect(policy.stars(minutes: 1500 * 60) == 5)
        #expect(policy.hoursToNextStar(minutes: 90 * 60 + 30) == 10)
        #expect(policy.hoursToNextStar(minutes: 2000 * 60) == nil)
        #expect(StarPolicy(hours: [100, 300, 300, 1000, 1500]).problem == "五档时长应逐级递增")
        #expect(StarPolicy(hours: [100, 300]).problem != nil)
        #expect(policy.problem == nil)
    }

    @Test func creditHoursCountOnlyTheSlot() {
        let start = Date(timeIntervalSince1970: 1_000_000)
        let end = start.addingTimeInterval(7200)
        #expect(ServiceTime.creditMinutes(checkIn: start.addingTimeInterval(-1800), checkOut: end.addingTimeInterval(3600),
                                          slotStart: start, slotEnd: end) == 120)
        #expect(ServiceTime.creditMinutes(checkIn: start.addingTimeInterval(600), checkOut: start.addingTimeInterval(4200),
                                          slotStart: start, slotEnd: end) == 60)
        #expect(ServiceTime.creditMinutes(checkIn: end.addingTimeInterval(60), checkOut: end.addingTimeInterval(600),
                                          slotStart: start, slotEnd: end) == 0)
    }

    @Test func clockingHasItsWindows() {
        let start = Date(timeIntervalSince1970: 1_000_000), end = start.addingTimeInterval(7200)
        #expect(ServiceTime.checkInProblem(at: start.addingTimeInterval(-3600), slotStart: start, slotEnd: end) == nil)
        #expect(ServiceTime.checkInProblem(at: start.addingTimeInterval(-3601), slotStart: start, slotEnd: end) != nil)
        #expect(ServiceTime.checkInProblem(at: end.addingTimeInterval(1), slotStart: start, slotEnd: end) != nil)
        #expect(ServiceTime.checkOutProblem(at: end.addingTimeInterval(12 * 3600), slotEnd: end) == nil)
        #expect(ServiceTime.checkOutProblem(at: end.addingTimeInterval(12 * 3600 + 1), slotEnd: end) != nil)
        #expect((try? FormField.minuteOfDay("09:30", label: "开始时间")) == 570)
        #expect((try? FormField.minuteOfDay("24:00", label: "开始时间")) == nil)
        #expect((try? FormField.minuteOfDay("9", label: "开始时间")) == nil)
    }

    @Test func honourHoursNeedAReasonAndFitTheActivity() {
        #expect(ServiceTime.honorProblem(minutes: 60, reason: nil, alreadyRecorded: 0, activityMinutes: 120) == "补录时长须写明理由")
        #expect(ServiceTime.honorProblem(minutes: 60, reason: " ", alreadyRecorded: 0, activityMinutes: 120) == "补录时长须写明理由")
        #expect(ServiceTime.honorProblem(minutes: 60, reason: "补登", alreadyRecorded: 60, activityMinutes: 120) == nil)
        #expect(ServiceTime.honorProblem(minutes: 61, reason: "补登", alreadyRecorded: 60, activityMinutes: 120)?.contains("最多还可补录 1.0 小时") == true)
        #expect(ServiceTime.honorProblem(minutes: 0, reason: "补登", alreadyRecorded: 0, activityMinutes: 120) == "时长应大于 0")
    }

    @Test func hoursAreTypedAndShownWithOneDecimal() {
        #expect(ServiceTime.minutes(hoursText: "1.5") == 90)
        #expect(ServiceTime.minutes(hoursText: "2") == 120)
        #expect(ServiceTime.minutes(hoursText: "1.25") == nil)
        #expect(ServiceTime.minutes(hoursText: "-1") == nil)
        #expect(ServiceTime.minutes(hoursText: "abc") == nil)
        #expect(ServiceTime.hoursText(90) == "1.5")
        #expect(ServiceTime.hoursText(100) == "1.7")
    }

    @Test func publicPagesMaskNames() {
        #expect(NameMask.mask("周愿") == "周*")
        #expect(NameMask.mask("张小明") == "张**")
        #expect(NameMask.mask("欧阳小明") == "欧阳**")
        #expect(NameMask.mask("王") == "王")
    }

    @Test func contestMeansAreInHundredths() {
        #expect(ContestScoring.mean([90, 80]) == 8500)
        #expect(ContestScoring.mean([90, 80, 80]) == 8333)
        #expect(ContestScoring.mean([90, 91, 91]) == 9067)
        #expect(ContestScoring.mean([]) == nil)
        #expect(ContestScoring.pointsText(8505) == "85.05")
        #expect(VolunteerNumbers.volunteer(sequence: 42) == "ZY330200000042")
        #expect(VolunteerNumbers.certificate(year: 2026, sequence: 7, random: 42) == "NBZYZM202600000700000042")
    }
}
