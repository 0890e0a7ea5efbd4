import Fluent
import LeagueCore
import Leaf
import Vapor

/// What the base layout needs on every page.
struct Layout: Encodable {
    let title: String
    let signedIn: Bool
    /// The links the signed-in person's kind of account, or a visitor, may follow; empty while a
    /// one-time password must be replaced, since every other page leads back to that form.
    let menu: [MenuLink]
    /// Leaf reads an array's truth as its emptiness, so the template asks this instead.
    let hasMenu: Bool
    let displayName: String
    let unitName: String
    let csrf: String
    let flash: String?
}

/// One choice of a select or radio list: the value sent back and the label shown.
struct Choice: Encodable, Sendable {
    let value: String
    let label: String
}

extension Choice {
    /// Units to choose from, by id.
    static func units(_ units: [UnitName]) -> [Choice] {
        units.map { Choice(value: String($0.id), label: $0.name) }
    }
}

/// A page: the layout's data beside the page's own.
struct Page<Content: Encodable>: Encodable {
    let layout: Layout
    let page: Content
}

/// A form's values as typed and the message beside each wrong field.
struct FormState: Encodable {
    var values: [String: String]
    var errors: [String: String]

    init(values: [String: String] = [:], errors: [String: String] = [:]) {
        self.values = values
        self.errors = errors
    }

    var isValid: Bool { errors.isEmpty }

    /// Runs one field's check and files its message under the field's name.
    mutating func check<T>(_ field: String, _ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let problem as FormField.Problem {
            errors[field] = problem.message
        } catch {
            errors[field] = "输入有误"
        }
        return nil
    }
}

extension Request {
    /// Renders a page inside the base layout; pages with personal data are never cached.
    func page<Content: Encodable>(_ template: String, title: String, _ content: Content,
                                  status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = self.actor
        if let actor, actor.flash != nil {
            try await application.writer.write(db) { try await SessionStore.clearFlash(sessionID: actor.sessionID, on: $0) }
        }
        let menu = Self.menu(for: actor)
        let layout = Layout(
            title: title, signedIn: actor != nil, menu: menu, hasMenu: !menu.isEmpty,
            displayName: actor?.displayName ?? "", unitName: actor?.unitName ?? "",
            csrf: actor?.csrfToken ?? "", flash: actor?.flash)
        let body = try await application.pageTemplates.render(template, Page(layout: layout, page: content), for: self)
        return try await View(data: body).encodeResponse(status: status, for: self)
    }

    private static func menu(for actor: Actor?) -> [MenuLink] {
        guard let actor else { return PartRegistry.menu.links(for: .visitors) }
        return actor.mustChangePassword ? [] : PartRegistry.menu.links(for: .account(actor.kind))
    }

    /// Decodes a submitted form leniently: every field is an optional string, so a missing or
    /// extra field is a message on the page, never a failure to decode.
    func form() throws -> [String: String] {
        if let parsed = storage[ParsedFormKey.self] { return parsed }
        if isURLEncodedForm, let body = body.string {
            guard let fields = URLEncodedForm.fields(Substring(body)) else {
                throw Abort(.badRequest, reason: "提交的表单格式不正确，请返回重试")
            }
            try Self.refuseNUL(fields)
            // Kept for the handler after the CSRF check has read the same body.
            storage[ParsedFormKey.self] = fields
            return fields
        }
        let fields: [String: String]
        do {
            fields = try content.decode([String: String].self)
        } catch {
            throw Abort(.badRequest, reason: "提交的表单格式不正确，请返回重试")
        }
        try Self.refuseNUL(fields)
        return fields
    }

    /// Text fields never carry a NUL character: no keyboard types one, and PostgreSQL refuses to
    /// keep one in text, so it is refused here for every form on both databases.
    static func refuseNUL(_ fields: [String: String]) throws {
        guard !fields.contains(where: { $0.key.utf8.contains(0) || $0.value.utf8.contains(0) }) else {
            throw Abort(.badRequest, reason: InputHygiene.nulMessage)
        }
    }

    private struct ParsedFormKey: StorageKey { typealias Value = [String: String] }

    /// A form as browsers post it, exactly (`==` on media types would also match a wildcard).
    var isURLEncodedForm: Bool {
        headers.first(name: .contentType).map(URLEncodedForm.isMediaType) ?? false
    }

    /// Redirects after a successful write, with a one-line message for the next page.
    func redirect(to path: String, flash: String?) async throws -> Response {
        if let flash, let actor {
            try await application.writer.write(db) { try await SessionStore.setFlash(flash, sessionID: actor.sessionID, on: $0) }
        }
        return redirect(to: path, redirectType: .normal)
    }
}

extension Request {
    /// Runs a write in one transaction. A `Refusal` becomes the form shown again with the
    /// message beside its field; nothing of the write remains.
    func submit<T: Sendable>(
        _ state: FormState,
        write: @escaping @Sendable (any Database) async throws -> T,
        then success: (T) async throws -> Response,
        otherwise failure: (FormState) async throws -> Response
    ) async throws -> Response {
        guard state.isValid else { return try await failure(state) }
        let result: T
        do {
            result = try await application.writer.write(db, write)
        } catch let refusal as Refusal {
            return try await failure(refusal.filed(in: state))
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Two people saving the same thing at once on PostgreSQL: the check passed for both,
            // the unique index kept one. The other gets a message, not an error page.
            logger.info("write refused by a constraint: \(String(reflecting: error))")
            return try await failure(Refusal("保存未成功：与已有记录冲突（可能刚被他人提交），请刷新页面后再试").filed(in: state))
        }
        return try await success(result)
    }

    /// The usual form write: on success to `back` with a one-line message, otherwise the page
    /// again with the refusal beside its field. The write gets the caller's change context.
    func submit<T: Sendable>(_ state: FormState, back: @escaping @Sendable (T) -> String, flash: @escaping @Sendable (T) -> String,
                             page: (FormState) async throws -> Response,
                             _ write: @escaping @Sendable (any Database, ChangeContext) async throws -> T) async throws -> Response {
        let change = changeContext
        return try await submit(state, write: { try await write($0, change) }, then: { result in
            try await redirect(to: back(result), flash: flash(result))
        }, otherwise: page)
    }

    /// The unit a page is about: `?unit=` if the caller reaches it (404 otherwise), else their own.
    func chosenUnit() async throws -> Organization {
        let own = try requireActor().unitID
        let id = (try? query.get(Int.self, at: "unit")) ?? own
        return try await scope.organization(id, on: db)
    }

    /// The numeric id in the route, or 404.
    func id(_ name: String = "id") throws -> Int {
        guard let id = parameters.get(name, as: Int.self), id > 0 else { throw Abort(.notFound) }
        return id
    }
}
