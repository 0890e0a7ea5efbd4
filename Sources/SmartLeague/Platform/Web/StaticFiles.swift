import Crypto
import Foundation
import Vapor

/// Serves `Public/` under `/static/`, so that no other path can reach a file on disk.
///
/// The files (a stylesheet and a script, a few kilobytes) are read once at start and served from
/// memory with an ETag: Vapor's `FileMiddleware` opens, stats and reads the file on the thread
/// pool for every request, which held the stylesheet to a fifth of the bare route's rate under
/// load. A file added to `Public/` after start is still served from disk; a changed one shows after
/// a restart (a deployment restarts the server).
struct StaticFiles: Middleware {
    /// One file kept in memory.
    struct File: Sendable {
        let body: ByteBuffer
        let contentType: HTTPMediaType?
        let etag: String
    }

    let files: FileMiddleware
    let kept: [String: File]

    /// Files larger than this stay on disk.
    static let largestKept = 1 << 20

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory, defaultFile: nil)
        kept = Self.read(publicDirectory)
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.url.path.hasPrefix("/static/"), request.method == .GET || request.method == .HEAD else {
            return next.respond(to: request)
        }
        let original = request.url.path
        let relative = String(original.dropFirst("/static".count))
        if let file = kept[relative] {
            return request.eventLoop.makeSucceededFuture(Self.response(file, to: request))
        }
        request.url.path = relative
        return files.respond(to: request, chainingTo: next).always { _ in request.url.path = original }
    }

    private static func response(_ file: File, to request: Request) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: file.etag)
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        if let type = file.contentType { headers.contentType = type }
        if request.headers[.ifNoneMatch].contains(file.etag) {
            return Response(status: .notModified, headers: headers)
        }
        // Vapor leaves the body out of a HEAD answer and keeps its length.
        return Response(status: .ok, headers: headers, body: .init(buffer: file.body))
    }

    /// Every file below the directory, keyed by its path from there ("/css/app.css").
    private static func read(_ directory: String) -> [String: File] {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey],
                                                            options: [.skipsHiddenFiles]) else { return [:] }
        var kept: [String: File] = [:]
        for case let url as URL in walker {
            guard let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey]), values.isRegularFile == true,
                  (values.fileSize ?? Int.max) <= largestKept, let data = try? Data(contentsOf: url) else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(root.path + "/") else { continue }
            let relative = String(path.dropFirst(root.path.count))
            let digest = SHA256.hash(data: data).prefix(12).map { String(format: "%02x", $0) }.joined()
            kept[relative] = File(body: ByteBuffer(data: data), contentType: HTTPMediaType.fileExtension(url.pathExtension),
                                  etag: "\"\(digest)\"")
        }
        return kept
    }
}
