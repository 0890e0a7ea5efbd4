import Testing
@testable import SmartLeague

/// Known answers come from segno 1.6.6 (`make_qr(text, error='m', mode='byte', boost_error=False)`) with
/// the fix for heuer/segno#148 applied (it pads a byte-aligned stream with a needless zero byte);
/// python-qrcode 8.2 gives the same matrices with the same mask.
@Suite struct QRCodeTests {
    /// Rows top to bottom, "1" for a dark module.
    func rows(_ code: QRCode) -> [String] {
        (0..<code.size).map { y in String((0..<code.size).map { x in code.isDark(x, y) ? "1" : "0" }) }
    }

    /// Rows as hexadecimal, each padded on the right with light modules to whole digits.
    func hexRows(_ code: QRCode) -> [String] {
        rows(code).map { row in
            let padded = Array(row + String(repeating: "0", count: (4 - row.count % 4) % 4))
            return stride(from: 0, to: padded.count, by: 4)
                .map { String(Int(String(padded[$0..<$0 + 4]), radix: 2)!, radix: 16) }.joined()
        }
    }

    @Test func helloIsVersionOneWithMaskTwo() throws {
        let code = try QRCode("HELLO")
        #expect(code.mask == 2)
        #expect(rows(code) == helloRows)
    }

    /// Short check-in codes that between them pick every mask; the choice moves if any of the
    /// N1–N4 weights is changed, and for the last one if a finder-like pattern is counted twice.
    @Test(arguments: [
        ("C-2265", 0, "fe6bf8829a08ba52e8ba2ae8bafae8821208feabf8000000aa2890fc1538933768d43dc89e774800c350fe6898824258baabd8ba54d0baf688823dd0fe97d8"),
        ("C-0594", 1, "fecbf8825a08ba9ae8ba6ae8ba2ae882e208feabf8005000a37928bca06846c238d5c898770218009600fe9de8823608ba1e88ba21c0bac3b8820900fea308"),
        ("C-0000", 2, "fe2bf8821208babae8bacae8badae882aa08feabf800b800be2be035a948c6b4e04441b88f94c000df20fe6b3082bf28bac950ba88a0bad520824120fe9550"),
        ("C-0154", 3, "fe93f882da08ba1ae8baa2e8ba22e8824208feabf800c000b7225839894896ef88918c084b14c000c448fee68082bf28ba5338bae510baf560821b48fe99e0"),
        ("C-0005", 4, "feb3f8824a08ba2ae8badae8babae882ca08feabf800e0008befc8b98e50026c0084b958b353d800d838fed3d08206c8baef48ba2fb8ba0dc08279c0feb248"),
        ("C-0021", 5, "fe5bf882b208bac2e8bac2e8ba7ae8822a08feabf800b80082ce7008eac0aa14e0ed40b8aa421800fe20fe4b30823da0ba4950ba69a0ba23f88260a0fef550"),
        ("C-0024", 6, "fe83f882aa08bacae8ba6ae8bacae8823a08feabf80058009fecb8f50ac0c666a8adb078e7421800b838feefa082bca0baba18bab960ba43f88266b8feb1c0"),
        ("C-0023", 7, "fe43f8823a08ba52e8ba6ae8ba1ae8828208feabf800400096dd00d915383233f8e58f804fd74800a7c0fe3af082a2d8ba0e48ba8698ba36a8825940fec490"),
        ("checkin:101614", 2, "fe3bf8823a08baaae8baa2e8bacae8828a08feabf8008800be3be0c91288674b303079f80bae8000f1e8fe6c70828068badf98bad1a0bae8408278e0fecf90"),
    ])
    func theMaskIsChosenByThePenaltyRules(text: String, mask: Int, hex: String) throws {
        let code = try QRCode(text)
        #expect(code.mask == mask)
        #expect(hexRows(code).joined() == hex)
    }

    @Test func chineseTextIsEncodedAsUTF8() throws {
        let code = try QRCode("志愿服务签到 123456")
        #expect(code.mask == 5)
        #expect(rows(code) == chineseRows)
    }

    /// Version 8 has version information and blocks of two lengths.
    @Test func a150ByteLinkIsVersionEight() throws {
        let link = String(repeating: "https://example.org/volunteer/checkin?post=123456&code=654321&", count: 3).prefix(150)
        let code = try QRCode(String(link))
        #expect(code.size == 49)
        #expect(code.mask == 2)
        #expect(hexRows(code) == longLinkHexRows)
    }

    /// The byte capacity of each version at level M (ISO/IEC 18004 Table 7) fits; one byte more does not.
    @Test func theSmallestFittingVersionIsUsed() throws {
        let capacities = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213]
        for (index, capacity) in capacities.enumerated() {
            let version = index + 1
            #expect(try QRCode(String(repeating: "a", count: capacity)).size == 4 * version + 17)
            if version < 10 {
                #expect(try QRCode(String(repeating: "a", count: capacity + 1)).size == 4 * version + 21)
            }
        }
        #expect(try QRCode("").size == 21)
    }

    @Test func moreThan213BytesIsTooLong() {
        #expect(throws: QRCode.Problem.tooLong) { try QRCode(String(repeating: "a", count: 214)) }
        #expect(throws: QRCode.Problem.tooLong) { try QRCode(String(repeating: "志", count: 100)) }
    }

    @Test func svgIsOnePathInsideAQuietZone() throws {
        let code = try QRCode("HELLO")
        let svg = code.svg()
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.contains(#"viewBox="0 0 29 29""#))
        #expect(svg.contains(#"width="232" height="232""#))
        #expect(svg.contains(#"shape-rendering="crispEdges""#))
        #expect(svg.contains(##"<rect width="29" height="29" fill="#fff"/>"##))
        #expect(svg.ranges(of: "<path").count == 1)
        // Runs of "Mx yhNv1h-Nz", four modules in from the corner, redraw exactly the known answer.
        #expect(svg.contains(#"d="M4 4h7v1h-7zM15 4h1v1h-1zM18 4h7v1h-7zM4 5h1v1h-1z"#))
        var redrawn = Array(repeating: Array(repeating: Character("0"), count: 21), count: 21)
        let path = try #require(svg.split(separator: #"d=""#).last).prefix { $0 != "\"" }
        for run in path.split(separator: "z") {
            let numbers = run.split { !$0.isNumber }.map { Int($0)! }
            for x in numbers[0]..<numbers[0] + numbers[2] { redrawn[numbers[1] - 4][x - 4] = "1" }
        }
        #expect(redrawn.map { String($0) } == helloRows)
        #expect(!code.isDark(-1, 0) && !code.isDark(0, 21))
        #expect(try QRCode("HELLO").svg(pixelsPerModule: 2).contains(#"width="58""#))
    }
}

private let helloRows = [
    "111111100001001111111",
    "100000100010101000001",
    "101110101100001011101",
    "101110101010101011101",
    "101110101100101011101",
    "100000101111001000001",
    "111111101010101111111",
    "000000001100000000000",
    "101111100011001111100",
    "011011010111111001100",
    "001111101000101101110",
    "011010000111111001100",
    "010111111000100100101",
    "000000001010100101000",
    "111111100111010010110",
    "100000101010000111110",
    "101110101101010010110",
    "101110101101111101000",
    "101110101100101100100",
    "100000100111111011100",
    "111111101100100010110",
]

private let chineseRows = [
    "1111111001001100101111111",
    "1000001010101001001000001",
    "1011101010101001001011101",
    "1011101011110111101011101",
    "1011101001000001001011101",
    "1000001001111001101000001",
    "1111111010101010101111111",
    "0000000011110000100000000",
    "1000001010001101011001110",
    "1000000110001001000101111",
    "0011101101001000011100100",
    "0110110010010011111111110",
    "1110101111001010010111000",
    "1001110101000011001011010",
    "1001001010111100100001100",
    "1011010011010010000100011",
    "1010011100011100111111011",
    "0000000010001010100011000",
    "1111111000111010101011100",
    "1000001000110010100010111",
    "1011101000000100111110100",
    "1011101001011001000111011",
    "1011101001000010000010101",
    "1000001000000000101011101",
    "1111111010110010001011001",
]

private let longLinkHexRows = [
    "fe5250df40bf8", "823f5e35e3a08", "baaaaa4ca1ae8", "ba9d53c56d2e8", "bae2c7ef842e8",
    "82d8d230ea208", "feaaaaaaaabf8", "00b4822b85800", "be280fe01dbe0", "a4111553c8200",
    "c6f43b643fd18", "586de518a40c8", "5f1d22872c868", "a52a5a469c390", "67c9ace17b118",
    "2900584ab2bc8", "8aa24a8328e20", "0434b10f55300", "3e08a9686f5d8", "5087d04cb0588",
    "3eccdfe33cc38", "1531310f9c7a0", "9fcd37ec3afb8", "78fc3a2ba5888", "6ae7cea61aab0",
    "d8d4b232518b0", "1f8d13e133ff8", "a9d8cebdc6410", "5b7466013bbf0", "bcabc5b38d420",
    "af13e005f7318", "48d5d7bcb4d40", "17612f0339cb8", "0ddfa6fe0cd00", "fe5aeb88eead8",
    "6d0034fec6010", "162e88677dbb0", "741db6d71c040", "4702b2117f238", "70f4e06f84d08",
    "e3562fe07bfa8", "00b99637548b0", "fe111eb92aaa8", "8285ee2ce4880", "baa6bbe458fb0",
    "bafd567f8cf98", "ba8ec9ed6b160", "820a395f95e48", "feb59d7719038",
]
