/// What a password must be: 8 to 128 characters with at least one letter and one digit.
public enum PasswordPolicy {
    public static let minimumLength = 8
    public static let maximumLength = 128

    public enum Problem: Error, Equatable, Sendable {
        case tooShort, tooLong, needsLetterAndDigit, sameAsCurrent, confirmationMismatch

        public var message: String {
            switch self {
            case .tooShort: "密码至少 \(PasswordPolicy.minimumLength) 位"
            case .tooLong: "密码不能超过 \(PasswordPolicy.maximumLength) 位"
            case .needsLetterAndDigit: "密码须同时包含字母和数字"
            case .sameAsCurrent: "新密码不能与当前密码相同"
            case .confirmationMismatch: "两次输入的新密码不一致"
            }
        }
    }

    /// The first problem with `password`, or nil when it is acceptable.
    public static func problem(with password: String) -> Problem? {
        if password.count < minimumLength { return .tooShort }
        if password.count > maximumLength { return .tooLong }
        let hasLetter = password.unicodeScalars.contains { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
        let hasDigit = password.unicodeScalars.contains { ("0"..."9").contains($0) }
        return hasLetter && hasDigit ? nil : .needsLetterAndDigit
    }

    /// A one-time password that satisfies the policy, from an unambiguous alphabet.
    public static func generateOneTime<R: RandomNumberGenerator>(using rng: inout R) -> String {
        let letters = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ")
        let digits = Array("23456789")
        let all = letters + digits
        var chars = [letters.randomElement(using: &rng)!, digits.randomElement(using: &rng)!]
        chars += (0..<10).map { _ in all.randomElement(using: &rng)! }
        chars.shuffle(using: &rng)
        return String(chars)
    }

    public static func generateOneTime() -> String {
        var rng = SystemRandomNumberGenerator()
        return generateOneTime(using: &rng)
    }
}
