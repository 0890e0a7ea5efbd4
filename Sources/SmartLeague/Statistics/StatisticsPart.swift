import Vapor

/// 团员统计: counts and charts of members under any unit, read from the kept counts.
struct StatisticsPart: LeaguePart {
    func routes(_ routes: PartRoutes) throws {
        try routes.administrators.register(collection: StatisticsController())
    }
}
