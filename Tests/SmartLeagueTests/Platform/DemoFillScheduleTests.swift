import Testing
@testable import SmartLeague

/// The order the demo's fills run in (`DemoFill.schedule`): side by side where they lean on
/// nothing in common, after what they lean on otherwise.
@Suite struct DemoFillScheduleTests {
    static func fill(_ name: String, _ leansOn: [String]?) -> DemoFill {
        DemoFill(name: name, leansOn: leansOn) { _, _ in }
    }

    static func order(_ schedule: [(fill: DemoFill, waitsFor: [Int])]) -> [String] {
        schedule.map(\.fill.name)
    }

    @Test func aFillThatHasNotSaidWaitsForEveryFillBeforeIt() throws {
        let schedule = try DemoFill.schedule([Self.fill("甲", []), Self.fill("乙", []), Self.fill("丙", nil)])
        #expect(Self.order(schedule) == ["甲", "乙", "丙"])
        #expect(schedule.map(\.waitsFor) == [[], [], [0, 1]])
    }

    @Test func aFillWaitsForTheFillsItLeansOnWhereverTheRegistryListsThem() throws {
        // 丁 leans on 戊, listed after it: 戊 is placed first, and 丁 waits for it.
        let schedule = try DemoFill.schedule([Self.fill("甲", []), Self.fill("丁", ["戊", "甲"]), Self.fill("戊", [])])
        #expect(Self.order(schedule) == ["甲", "戊", "丁"])
        #expect(schedule.map(\.waitsFor) == [[], [], [1, 0]])
    }

    @Test func unknownNamesCirclesAndTwinsAreRefused() {
        #expect(throws: Refusal.self) { try DemoFill.schedule([Self.fill("甲", ["乙"])]) }
        #expect(throws: Refusal.self) { try DemoFill.schedule([Self.fill("甲", ["乙"]), Self.fill("乙", ["甲"])]) }
        #expect(throws: Refusal.self) { try DemoFill.schedule([Self.fill("甲", []), Self.fill("甲", [])]) }
    }

    /// The parts as registered: every fill can be placed, and the long chain of the members'
    /// record keeps its order.
    @Test func thePartsFillsCanBeScheduled() throws {
        let order = Self.order(try DemoFill.schedule(LeagueParts.all.compactMap(\.demo)))
        #expect(order.count == LeagueParts.all.compactMap(\.demo).count)
        let chain = ["三会一课", "团员发展", "团费", "组织关系转接", "离团", "评议注册"]
        #expect(order.filter { chain.contains($0) } == chain)
        #expect((order.firstIndex(of: "青年之声") ?? .max) < (order.firstIndex(of: "志愿服务") ?? -1))
    }
}
