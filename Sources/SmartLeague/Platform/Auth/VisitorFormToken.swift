import Vapor

/// The token of a public form that a visitor posts: a visitor has no session to hold one, so the
/// page sets it in a cookie of its own (strict, for that form's path) and the post must carry the
/// same value; a signed-in person's post carries their session's token as every form does.
struct VisitorFormToken {
    let cookie: String
    let path: String

    /// Puts a fresh token on the page's response and returns it for the form's hidden field. A
    /// visitor's blank form is served from the public page cache with their token put in.
    func issue(_ req: Request, render: (String) async throws -> Response) async throws -> Response {
        if let actor = req.actor { return try await render(actor.csrfToken) }
        let token = SessionStore.randomToken()
        let response = try await req.publicForm(token: token, render)
        response.cookies[cookie] = HTTPCookies.Value(string: token, maxAge: 3600, path: path, isSecure: req.application.settings.secureCookies,
                                                     isHTTPOnly: true, sameSite: .strict)
        return response
    }

    /// Whether a post carries the token its page was given.
    func matches(_ req: Request, sent: String?) -> Bool {
        let expected = req.actor?.csrfToken ?? req.cookies[cookie]?.string ?? ""
        return CSRFProtection.matches(sent ?? "", expected)
    }
}
