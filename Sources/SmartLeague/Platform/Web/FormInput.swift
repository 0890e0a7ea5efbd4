import Foundation
import LeagueCore
import Vapor

/// A submitted form as a type: every field an optional string, so that a missing or extra field
/// is a message beside it and never a failure to decode, then `validate`, which files each
/// problem under its field's name and returns what the write needs only when nothing is wrong.
protocol FormInput: Decodable, Sendable {
    associatedtype Valid: Sendable
    func validate(_ check: inout FormState, today: CalendarDate) -> Valid?
}

extension Request {
    /// The form decoded into `T` (from the fields `form()` read), with the values typed kept
    /// for showing the form again.
    func decode<T: FormInput>(_ type: T.Type) throws -> (form: T, state: FormState) {
        let fields = try form()
        return (try FormFields.decode(T.self, from: fields), FormState(values: fields.filter { $0.key != "csrf" }))
    }

    /// As `decode`, then checked: the valid values, or the state with every problem filed.
    func validated<T: FormInput>(_ type: T.Type) throws -> (valid: T.Valid?, state: FormState) {
        let (form, state) = try decode(type)
        var checked = state
        let valid = form.validate(&checked, today: today)
        return (checked.isValid ? valid : nil, checked)
    }

    /// A search form sent in the address, checked as `validated` checks a posted one. Empty
    /// fields count as not sent; the values, `page` included, are kept for the links that page on.
    func validatedQuery<T: FormInput>(_ type: T.Type) throws -> (valid: T.Valid?, state: FormState) {
        let fields = ((try? query.decode([String: String].self)) ?? [:]).filter { !$0.value.isEmpty }
        var state = FormState(values: fields)
        let valid = try FormFields.decode(T.self, from: fields).validate(&state, today: today)
        return (state.isValid ? valid : nil, state)
    }
}

/// Decodes a form's string fields into a `Decodable` whose properties are optional strings.
enum FormFields {
    static func decode<T: Decodable>(_ type: T.Type, from fields: [String: String]) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: fields))
        } catch {
            throw Abort(.badRequest, reason: "提交的表单格式不正确，请返回重试")
        }
    }
}

extension FormState {
    /// A checkbox or a choice of "1": ticked.
    static func ticked(_ raw: String?) -> Bool { raw == "1" || raw == "on" || raw == "true" }

    /// A new password typed twice in the fields `password` and `confirm` of a form that opens an
    /// account: the password when the policy takes it and both agree, else nil and the problem filed.
    mutating func newPassword(_ password: String?, confirm: String?) -> String? {
        let typed = password ?? ""
        if let problem = PasswordPolicy.problem(with: typed) {
            errors["password"] = problem.message
        } else if typed != confirm {
            errors["confirm"] = PasswordPolicy.Problem.confirmationMismatch.message
        } else {
            return typed
        }
        return nil
    }

    /// Runs a read that may refuse what was typed (a unit beyond reach, say): the refusal is
    /// filed under its field and nothing is returned.
    mutating func lookUp<T>(_ read: () async throws -> T) async throws -> T? {
        do {
            return try await read()
        } catch let refusal as Refusal {
            self = refusal.filed(in: self)
            return nil
        }
    }
}
