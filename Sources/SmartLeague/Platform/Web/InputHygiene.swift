import Vapor

/// Refuses a request whose address carries a NUL character (`%00`) before any handler reads a
/// parameter or a query value from it: no link of the site has one, and PostgreSQL refuses to keep
/// one in text. Form fields are checked where they are parsed (`Request.form()`).
struct InputHygiene: Middleware {
    static let nulMessage = "提交的内容含有不可见的控制字符（NUL），请检查后重试"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let raw = request.url.string
        if raw.utf8.contains(0) || raw.range(of: "%00", options: .caseInsensitive) != nil {
            return request.eventLoop.makeFailedFuture(Abort(.badRequest, reason: Self.nulMessage))
        }
        return next.respond(to: request)
    }
}
