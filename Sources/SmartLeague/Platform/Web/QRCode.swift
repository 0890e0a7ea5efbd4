/// A QR Code (ISO/IEC 18004) for short text. It exists so that check-in codes can be shown as an
/// image on the organiser's screen and scanned by phone, without an outside library or service.
///
/// Only what check-in needs: byte mode (UTF-8), error correction level M, versions 1–10, so at
/// most 213 bytes; the smallest version that fits is used.
struct QRCode: Sendable {
    enum Problem: Error, Sendable { case tooLong }

    /// Modules per side: 21 for version 1 and four more for each version after it.
    let size: Int
    /// The data mask the penalty rules chose; kept so tests can compare with other encoders.
    let mask: Int
    private let darkModules: [Bool]

    /// Whether the module in column `x`, row `y` is dark; outside the symbol is the light quiet zone.
    func isDark(_ x: Int, _ y: Int) -> Bool {
        (0..<size).contains(x) && (0..<size).contains(y) && darkModules[y * size + x]
    }

    init(_ text: String) throws(QRCode.Problem) {
        let bytes = Array(text.utf8)
        guard let version = (1...10).first(where: {
            4 + Self.countIndicatorBits($0) + 8 * bytes.count <= 8 * Self.dataCodewordCount($0)
        }) else { throw .tooLong }

        var matrix = Matrix(version: version)
        matrix.place(Self.finalCodewords(Self.dataCodewords(bytes, version: version), version: version))
        // ISO/IEC 18004:2015 §7.1 chooses the mask before format and version information are
        // written, so those areas are still light while scoring (segno does the same).
        let penalties = (0..<8).map { matrix.masked($0).penalty }
        mask = penalties.firstIndex(of: penalties.min()!)!
        matrix = matrix.masked(mask)
        matrix.drawFormatInformation(mask: mask)
        if version >= 7 { matrix.drawVersionInformation(version) }
        size = matrix.size
        darkModules = matrix.dark
    }

    /// An SVG image of the code with a 4-module quiet zone, scaled to `pixelsPerModule`.
    /// Dark modules are one path of horizontal runs, which keeps the markup small.
    func svg(pixelsPerModule: Int = 8) -> String {
        let quietZone = 4, side = size + 2 * quietZone, pixels = side * pixelsPerModule
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x, y) else { x += 1; continue }
                let start = x
                while isDark(x, y) { x += 1 }
                path += "M\(start + quietZone) \(y + quietZone)h\(x - start)v1h-\(x - start)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(pixels)" height="\(pixels)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }

    // MARK: - Codewords

    /// Level M for versions 1–10 (ISO/IEC 18004 Table 9): all codewords in the symbol, error
    /// correction codewords per block, and blocks.
    private static let levelM: [(total: Int, correctionPerBlock: Int, blocks: Int)] = [
        (26, 10, 1), (44, 16, 1), (70, 26, 1), (100, 18, 2), (134, 24, 2),
        (172, 16, 4), (196, 18, 4), (242, 22, 4), (292, 22, 5), (346, 26, 5),
    ]

    private static func dataCodewordCount(_ version: Int) -> Int {
        let level = levelM[version - 1]
        return level.total - level.correctionPerBlock * level.blocks
    }

    private static func countIndicatorBits(_ version: Int) -> Int { version < 10 ? 8 : 16 }

    /// Mode indicator, count, data, terminator and padding, filling the version's data capacity.
    private static func dataCodewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        let capacity = dataCodewordCount(version)
        var bits: [Bool] = []
        func append(_ value: Int, bitCount: Int) {
            for shift in (0..<bitCount).reversed() { bits.append((value >> shift) & 1 == 1) }
        }
        append(0b0100, bitCount: 4)
        append(bytes.count, bitCount: countIndicatorBits(version))
        for byte in bytes { append(Int(byte), bitCount: 8) }
        // The terminator always fits, and after a 12- or 20-bit header it ends on a codeword boundary.
        append(0, bitCount: 4)
        var codewords = stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
        for padIndex in 0..<(capacity - codewords.count) { codewords.append(padIndex % 2 == 0 ? 0xEC : 0x11) }
        return codewords
    }

    /// Splits the data into blocks, adds each block's error correction and interleaves them, so
    /// that a smudge over neighbouring modules damages several blocks a little rather than one a lot.
    private static func finalCodewords(_ data: [UInt8], version: Int) -> [UInt8] {
        let level = levelM[version - 1]
        let shortLength = level.total / level.blocks - level.correctionPerBlock
        let longBlockCount = level.total % level.blocks
        var blocks: [ArraySlice<UInt8>] = []
        var start = 0
        for index in 0..<level.blocks {
            let length = shortLength + (index >= level.blocks - longBlockCount ? 1 : 0)
            blocks.append(data[start..<start + length])
            start += length
        }
        let corrections = blocks.map { reedSolomonRemainder(Array($0), count: level.correctionPerBlock) }
        var result: [UInt8] = []
        for offset in 0...shortLength {
            for block in blocks where offset < block.count { result.append(block[block.startIndex + offset]) }
        }
        for offset in 0..<level.correctionPerBlock {
            for correction in corrections { result.append(correction[offset]) }
        }
        return result
    }

    /// The remainder of the data divided by the generator polynomial (x − α⁰)…(x − α^(count−1)).
    private static func reedSolomonRemainder(_ data: [UInt8], count: Int) -> [UInt8] {
        // Coefficients from the highest power down, leaving out the leading 1.
        var generator = [UInt8](repeating: 0, count: count)
        generator[count - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<count {
            for index in 0..<count {
                generator[index] = fieldProduct(generator[index], root) ^ (index + 1 < count ? generator[index + 1] : 0)
            }
            root = fieldProduct(root, 2)
        }
        var remainder = [UInt8](repeating: 0, count: count)
        for byte in data {
            let factor = byte ^ remainder.removeFirst()
            remainder.append(0)
            for index in 0..<count { remainder[index] ^= fieldProduct(generator[index], factor) }
        }
        return remainder
    }

    /// Multiplication in GF(256) reduced by x⁸ + x⁴ + x³ + x² + 1 (0x11D), as QR Codes define it.
    private static func fieldProduct(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var product = 0
        for bit in (0..<8).reversed() {
            product = (product << 1) ^ ((product >> 7) * 0x11D)
            product ^= Int((b >> bit) & 1) * Int(a)
        }
        return UInt8(product)
    }
}

private extension QRCode {
    /// The symbol being built: module colours plus which modules belong to function patterns and
    /// reserved areas, which data placement and masking must leave alone.
    struct Matrix {
        let size: Int
        var dark: [Bool]
        var isFunction: [Bool]

        /// Centres of alignment patterns for versions 1–10 (ISO/IEC 18004 Annex E).
        private static let alignmentCentres: [[Int]] = [
            [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
        ]

        init(version: Int) {
            size = 4 * version + 17
            dark = Array(repeating: false, count: size * size)
            isFunction = dark
            for (centreX, centreY) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                // A finder with its separator: the rings at distance 2 and 4 from the centre are light.
                for dy in -4...4 {
                    for dx in -4...4 where (0..<size).contains(centreX + dx) && (0..<size).contains(centreY + dy) {
                        let ring = max(abs(dx), abs(dy))
                        setFunction(centreX + dx, centreY + dy, dark: ring != 2 && ring != 4)
                    }
                }
            }
            let centres = Self.alignmentCentres[version - 1]
            // An alignment centre already inside a finder is one of the three that would overlap it.
            for centreX in centres {
                for centreY in centres where !isFunction[centreY * size + centreX] {
                    for dy in -2...2 {
                        for dx in -2...2 { setFunction(centreX + dx, centreY + dy, dark: max(abs(dx), abs(dy)) != 1) }
                    }
                }
            }
            for index in 8..<(size - 8) {
                setFunction(index, 6, dark: index % 2 == 0)
                setFunction(6, index, dark: index % 2 == 0)
            }
            // Format information, the dark module and version information come after masking.
            for index in 0...8 {
                reserve(8, index)
                reserve(index, 8)
            }
            for index in 0..<8 {
                reserve(size - 1 - index, 8)
                reserve(8, size - 1 - index)
            }
            if version >= 7 {
                for index in 0..<18 {
                    reserve(size - 11 + index % 3, index / 3)
                    reserve(index / 3, size - 11 + index % 3)
                }
            }
        }

        private mutating func setFunction(_ x: Int, _ y: Int, dark isDark: Bool) {
            dark[y * size + x] = isDark
            isFunction[y * size + x] = true
        }

        /// Marks a module as taken without changing it, so timing modules inside the area survive.
        private mutating func reserve(_ x: Int, _ y: Int) { isFunction[y * size + x] = true }

        /// Fills the free modules two columns at a time, zigzagging up and down from the bottom right;
        /// modules left over after the last codeword are the light remainder bits.
        mutating func place(_ codewords: [UInt8]) {
            var bitIndex = 0
            // Column 6 is the vertical timing pattern, so pairs left of it shift one column left.
            let rightColumns = stride(from: size - 1, to: 0, by: -2).map { $0 <= 6 ? $0 - 1 : $0 }
            for (pairIndex, right) in rightColumns.enumerated() {
                for step in 0..<size {
                    let y = pairIndex % 2 == 0 ? size - 1 - step : step
                    for x in [right, right - 1] where !isFunction[y * size + x] && bitIndex < 8 * codewords.count {
                        dark[y * size + x] = (codewords[bitIndex / 8] >> (7 - bitIndex % 8)) & 1 == 1
                        bitIndex += 1
                    }
                }
            }
        }

        /// A copy with data mask `mask` (ISO/IEC 18004 Table 10) applied to the non-function modules.
        func masked(_ mask: Int) -> Matrix {
            var copy = self
            for y in 0..<size {
                for x in 0..<size where !isFunction[y * size + x] {
                    let flips = switch mask {
                    case 0: (x + y) % 2 == 0
                    case 1: y % 2 == 0
                    case 2: x % 3 == 0
                    case 3: (x + y) % 3 == 0
                    case 4: (y / 2 + x / 3) % 2 == 0
                    case 5: x * y % 2 + x * y % 3 == 0
                    case 6: (x * y % 2 + x * y % 3) % 2 == 0
                    default: ((x + y) % 2 + x * y % 3) % 2 == 0
                    }
                    if flips { copy.dark[y * size + x].toggle() }
                }
            }
            return copy
        }

        /// The penalty score of ISO/IEC 18004 §7.8.3.1; the mask with the lowest score is used.
        var penalty: Int {
            let rows = (0..<size).map { y in Array(dark[y * size..<(y + 1) * size]) }
            let columns = (0..<size).map { x in rows.map { $0[x] } }
            var points = 0
            for line in rows + columns { points += Self.runPenalty(line) + Self.finderLikePenalty(line) }
            for y in 0..<(size - 1) {
                for x in 0..<(size - 1) where rows[y][x + 1] == rows[y][x] && rows[y + 1][x] == rows[y][x]
                    && rows[y + 1][x + 1] == rows[y][x] {
                    points += 3
                }
            }
            let darkCount = dark.count(where: { $0 })
            // 10 points for each full 5 % the dark share is away from half.
            return points + 10 * (abs(20 * darkCount - 10 * dark.count) / dark.count)
        }

        /// N1: 3 points for a run of five modules of one colour, one more for each further module.
        private static func runPenalty(_ line: [Bool]) -> Int {
            var points = 0, run = 0
            for (index, module) in line.enumerated() {
                run = index > 0 && module == line[index - 1] ? run + 1 : 1
                points += run == 5 ? 3 : run > 5 ? 1 : 0
            }
            return points
        }

        /// N3: 40 points for each dark-light-dark-dark-dark-light-dark pattern with four light modules
        /// on either side, since a reader could take it for a finder. The quiet zone counts as light.
        private static func finderLikePenalty(_ line: [Bool]) -> Int {
            let pattern = [true, false, true, true, true, false, true]
            func isLight(_ range: Range<Int>) -> Bool { range.allSatisfy { !line.indices.contains($0) || !line[$0] } }
            var points = 0, start = 0
            while start + 7 <= line.count {
                if line[start..<start + 7].elementsEqual(pattern)
                    && (isLight(start - 4..<start) || isLight(start + 7..<start + 11)) {
                    points += 40
                    start += 7
                } else {
                    start += 1
                }
            }
            return points
        }

        /// Level M with the mask number, protected by a BCH (15,5) code and XOR-ed with 0x5412 so it
        /// is never all light; written twice, beside the top-left finder and split over the other two.
        mutating func drawFormatInformation(mask: Int) {
            let data = mask  // level M's two bits are 00
            var remainder = data
            for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
            let bits = (data << 10 | remainder) ^ 0x5412
            func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
            for index in 0...5 { setFunction(8, index, dark: bit(index)) }
            setFunction(8, 7, dark: bit(6))
            setFunction(8, 8, dark: bit(7))
            setFunction(7, 8, dark: bit(8))
            for index in 9..<15 { setFunction(14 - index, 8, dark: bit(index)) }
            for index in 0..<8 { setFunction(size - 1 - index, 8, dark: bit(index)) }
            for index in 8..<15 { setFunction(8, size - 15 + index, dark: bit(index)) }
            setFunction(8, size - 8, dark: true)
        }

        /// The version number protected by a BCH (18,6) code, next to the top-right and bottom-left finders.
        mutating func drawVersionInformation(_ version: Int) {
            var remainder = version
            for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
            let bits = version << 12 | remainder
            for index in 0..<18 {
                let isDark = (bits >> index) & 1 == 1
                setFunction(size - 11 + index % 3, index / 3, dark: isDark)
                setFunction(index / 3, size - 11 + index % 3, dark: isDark)
            }
        }
    }
}
