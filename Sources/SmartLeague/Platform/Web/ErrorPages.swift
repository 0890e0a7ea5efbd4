import Vapor

/// Turns every error into a Chinese page (or a JSON error under /api): a missing or out-of-scope
/// record is a 404 that says nothing about whether it exists; anything unexpected is logged and
/// shown as a plain apology, never as a stack trace.
struct ErrorPages: Middleware {
    struct Content: Encodable {
        let status: Int
        let heading: String
        let message: String
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapError { error in
            request.eventLoop.makeFutureWithTask { try await page(for: error, request: request) }
        }
    }

    private func page(for error: any Error, request: Request) async throws -> Response {
        let (status, message) = describe(error, request: request)
        if request.url.path.hasPrefix("/api/") {
            let response = Response(status: status)
            try response.content.encode(["error": message])
            return response
        }
        let heading: String = switch status.code {
        case 404: "未找到"
        case 403: "无法完成操作"
        case 413: "内容过大"
        case 500...: "系统出错"
        default: "请求有误"
        }
        do {
            return try await request.page("error", title: heading,
                                          Content(status: Int(status.code), heading: heading, message: message),
                                          status: status)
        } catch {
            request.logger.report(error: error)
            return Response(status: status, body: .init(string: message))
        }
    }

    private func describe(_ error: any Error, request: Request) -> (HTTPResponseStatus, String) {
        if let abort = error as? any AbortError {
            switch abort.status {
            case .notFound:
                return (.notFound, "您要找的内容不存在，或不在您的管理范围内。")
            case .unauthorized:
                return (.unauthorized, "请先登录。")
            case .payloadTooLarge:
                return (.payloadTooLarge, "提交的内容超过大小限制。")
            case .forbidden:
                return (.forbidden, abort.reason.isChinese ? abort.reason : "您无权进行此操作。")
            case .internalServerError:
                request.logger.report(error: error)
                return (.internalServerError, "系统暂时无法处理您的请求，请稍后再试。")
            default:
                return (abort.status, abort.reason.isChinese ? abort.reason : "请求格式不正确。")
            }
        }
        if error is DecodingError {
            return (.badRequest, "提交的数据格式不正确。")
        }
        request.logger.report(error: error)
        return (.internalServerError, "系统暂时无法处理您的请求，请稍后再试。")
    }
}

private extension String {
    var isChinese: Bool { unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }
}
