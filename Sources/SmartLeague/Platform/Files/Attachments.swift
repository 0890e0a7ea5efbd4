import Fluent
import LeagueCore
import MultipartKit
import Vapor

/// A file a form carried, checked but not yet stored.
struct Upload: Sendable {
    let fileName: String
    let kind: AttachmentKind
    let data: Data

    /// Nil when the field was left empty; a refusal naming the field when the file is not acceptable.
    static func check(_ file: File?, field: String, allowed: [AttachmentKind] = AttachmentKind.allCases) throws -> Upload? {
        guard let file, !file.filename.isEmpty || file.data.readableBytes > 0 else { return nil }
        let head = file.data.getBytes(at: file.data.readerIndex, length: min(8, file.data.readableBytes)) ?? []
        let name = AttachmentKind.cleanName(file.filename)
        switch AttachmentKind.check(fileName: name, size: file.data.readableBytes, head: head, allowed: allowed) {
        case .success(let kind): return Upload(fileName: name, kind: kind, data: Data(file.data.readableBytesView))
        case .failure(let problem): throw Refusal(problem.message, field: field)
        }
    }
}

/// Storing and serving attachments. Callers have already checked, through the owner, that the
/// person may see or change the record.
enum Attachments {
    static func store(_ upload: Upload, ownerType: String, ownerID: Int, _ change: ChangeContext,
                      on db: any Database) async throws -> Attachment {
        let attachment = Attachment()
        attachment.ownerType = ownerType
        attachment.ownerID = ownerID
        attachment.fileName = upload.fileName
        attachment.kind = upload.kind
        attachment.size = upload.data.count
        attachment.sha256 = Hex.string(SHA256.hash(data: upload.data))
        attachment.uploadedBy = change.actor.name
        attachment.at = change.now
        try await attachment.create(on: db)
        let content = AttachmentContent()
        content.attachmentID = attachment.id!
        content.data = upload.data
        try await content.create(on: db)
        return attachment
    }

    static func list(ownerType: String, ownerIDs: [Int], on db: any Database) async throws -> [Int: [Attachment]] {
        guard !ownerIDs.isEmpty else { return [:] }
        let found = try await Attachment.query(on: db).filter(\.$ownerType == ownerType).filter(\.$ownerID ~~ ownerIDs)
            .sort(\.$id).all()
        return Dictionary(grouping: found, by: \.ownerID)
    }

    /// The file as a download; a file of another owner answers as missing.
    static func download(_ id: Int, ownerType: String, ownerID: Int, on db: any Database) async throws -> Response {
        guard let attachment = try await Attachment.query(on: db).filter(\.$id == id).filter(\.$ownerType == ownerType)
            .filter(\.$ownerID == ownerID).first(),
            let content = try await AttachmentContent.query(on: db).filter(\.$attachmentID == id).first() else {
            throw Abort(.notFound)
        }
        let response = Response(status: .ok, body: .init(data: content.data))
        response.headers.replaceOrAdd(name: .contentType, value: attachment.kind.mediaType)
        // Images open in the browser; anything else is saved.
        response.nameDownload(fallback: "file.\(attachment.kind.rawValue)", name: attachment.fileName, inline: attachment.kind.isImage)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}

extension Request {
    /// A multipart form as its text fields and its files, so that a form with an optional file
    /// is read as leniently as `form()` reads one without.
    func formWithFiles() throws -> (fields: [String: String], files: [String: File]) {
        guard content.contentType == .formData else { return (try form(), [:]) }
        guard let boundary = headers.contentType?.parameters["boundary"], let body = body.data else {
            throw Abort(.badRequest, reason: "提交的表单格式不正确，请返回重试")
        }
        var parts: [MultipartPart] = []
        var headers = HTTPHeaders(), partBody = ByteBuffer()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { headers.add(name: $0, value: $1) }
        parser.onBody = { partBody.writeBuffer(&$0) }
        parser.onPartComplete = {
            parts.append(MultipartPart(headers: headers, body: partBody))
            headers = HTTPHeaders()
            partBody = ByteBuffer()
        }
        do { try parser.execute(body) } catch {
            throw Abort(.badRequest, reason: "提交的表单格式不正确，请返回重试")
        }
        var fields: [String: String] = [:], files: [String: File] = [:]
        for part in parts {
            guard let name = part.name else { continue }
            if part.headers.first(name: "Content-Disposition")?.contains("filename=") == true, let file = File(multipart: part) {
                files[name] = file
            } else {
                fields[name] = String(buffer: part.body)
            }
        }
        try Self.refuseNUL(fields)
        return (fields, files)
    }
}
