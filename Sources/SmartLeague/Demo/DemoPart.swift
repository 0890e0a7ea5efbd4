import Vapor

/// `smartleague demo`: a deterministic synthetic Ningbo to try the platform on.
struct DemoPart: LeaguePart {
    var commands: [String: any AnyAsyncCommand] { ["demo": DemoCommand()] }
}
