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
}
