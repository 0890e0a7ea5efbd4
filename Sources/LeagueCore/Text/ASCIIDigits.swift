/// Digits as the rules mean them: the ASCII characters 0–9, read on bytes or scalars. Full-width
/// digits, other scripts' digits and digits carrying a combining mark are not digits here, so a
/// parser built on these never meets a "digit" that `Int(_:)` refuses.
public enum ASCIIDigits {
    @inlinable
    public static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The digit's value, or nil for any other scalar.
    @inlinable
    public static func value(of scalar: Unicode.Scalar) -> Int? {
        scalar.value >= 0x30 && scalar.value <= 0x39 ? Int(scalar.value - 0x30) : nil
    }

    /// The number written by `text`, which must be 1 to `maximumDigits` ASCII digits and nothing
    /// else (no sign, no spaces); nil otherwise. Eighteen digits at most, so it never overflows.
    public static func number(_ text: some StringProtocol, maximumDigits: Int = 18) -> Int? {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= min(maximumDigits, 18) else { return nil }
        var value = 0
        for byte in bytes {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// `number` (not negative) in at least `width` digits, zeros in front: dates, IDs and numbers
    /// drawn for the demo. Neither `String(format:)` nor replacing in a formatted text: both go
    /// through Foundation, which was a thirtieth of drawing the demo's members.
    public static func padded(_ number: Int, to width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Whether `text` is made of ASCII digits only (and is not empty).
    public static func all(_ text: some StringProtocol) -> Bool {
        !text.utf8.isEmpty && text.utf8.allSatisfy(isDigit)
    }
}
