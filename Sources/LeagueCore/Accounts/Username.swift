/// Sign-in names: 3–32 characters, lowercase letters, digits, dot, dash or underscore, starting
/// with a letter; typed in any case, stored in lowercase.
public enum Username {
    public static func check(_ raw: String?) throws(FormField.Problem) -> String {
        let name = try FormField.requiredText(raw, label: "用户名", min: 3, max: 32).lowercased()
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
        }
        guard allowed, let first = name.unicodeScalars.first, ("a"..."z").contains(first) else {
            throw FormField.Problem("用户名须以字母开头，只能包含小写字母、数字和 . _ -")
        }
        return name
    }
}
