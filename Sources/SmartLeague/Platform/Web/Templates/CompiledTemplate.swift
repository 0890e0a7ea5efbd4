import Foundation
import LeafKit
import NIOCore

/// A Leaf template as LeafKit parsed and flattened it (base layout, exports and imports resolved),
/// turned into a tree this renderer walks without Leaf's per-render costs: Leaf copies the whole
/// context and starts a new serializer and buffer for every pass of a loop, splits every variable's
/// path on each read, converts values through a table it builds on each conversion, and escapes
/// text one character at a time. The meaning of each construct is LeafKit 1.14's
/// (`LeafSerializer`, `ParameterResolver`); what this renderer does not reproduce is refused when
/// compiling or throws `TemplateUnsupported` when rendering, and Leaf renders that page instead.
struct CompiledTemplate: Sendable {
    let nodes: [TemplateNode]
    /// Bytes of fixed text, the first guess at a page's size.
    let fixedBytes: Int

    func render(_ context: TemplateValue) throws -> ByteBuffer {
        guard case .object(let root) = context else { throw TemplateUnsupported(reason: "a context that is not a record") }
        var buffer = ByteBufferAllocator().buffer(capacity: fixedBytes * 2)
        var scope = TemplateScope(root: root)
        try TemplateNode.render(nodes, scope: &scope, into: &buffer)
        return buffer
    }
}

indirect enum TemplateNode: Sendable {
    /// Text between tags.
    case raw(ByteBuffer)
    /// `#(…)` and tags that print: the value, HTML-escaped.
    case output(TemplateExpression)
    /// `#if … #elseif … #else … #endif`: the first branch whose condition holds (nil: `#else`).
    case conditional([(condition: TemplateExpression?, body: [TemplateNode])])
    /// `#for(item in path)`.
    case loop(item: String, index: String, path: [String], body: [TemplateNode])
    /// A tag Leaf does not know prints its name, as Leaf does.
    case text(String)

    static func render(_ nodes: [TemplateNode], scope: inout TemplateScope, into buffer: inout ByteBuffer) throws {
        for node in nodes {
            switch node {
            case .raw(let text):
                buffer.writeImmutableBuffer(text)
            case .output(let expression):
                try TemplateOutput.write(expression.evaluate(in: scope), into: &buffer)
            case .conditional(let branches):
                for branch in branches {
                    guard try branch.condition?.evaluate(in: scope).conditionHolds ?? true else { continue }
                    try render(branch.body, scope: &scope, into: &buffer)
                    break
                }
            case .loop(let item, let index, let path, let body):
                let items = try scope.list(at: path)
                for (position, value) in items.enumerated() {
                    scope.frames.append(TemplateScope.Frame(item: item, index: index, value: value, position: position,
                                                            isLast: position == items.count - 1))
                    defer { scope.frames.removeLast() }
                    try render(body, scope: &scope, into: &buffer)
                }
            case .text(let text):
                buffer.writeString(text)
            }
        }
    }
}

/// The values a template reads: the page's record, under the bindings of the loops around.
struct TemplateScope {
    struct Frame {
        let item: String
        let index: String
        let value: TemplateValue
        let position: Int
        let isLast: Bool
    }

    let root: TemplateRecord
    var frames: [Frame] = []

    /// A name as Leaf's loop context has it: a loop's item, its index, `isFirst` and `isLast`
    /// over whatever the page holds under those names, the innermost loop first.
    func value(named name: String) -> TemplateValue? {
        for frame in frames.reversed() {
            if name == frame.item { return frame.value }
            if name == frame.index { return .int(frame.position) }
            if name == "isLast" { return .bool(frame.isLast) }
            if name == "isFirst" { return .bool(frame.position == 0) }
        }
        return root[name]
    }

    /// `page.rows.name`: through records only; anything else on the way reads as no value.
    func value(at path: [String]) -> TemplateValue {
        walk(path) ?? .null
    }

    /// The list a loop walks; Leaf fails the render where there is none, so this leaves it to Leaf.
    func list(at path: [String]) throws -> [TemplateValue] {
        guard case .array(let items)? = walk(path) else { throw TemplateUnsupported(reason: "a loop over something not a list") }
        return items
    }

    private func walk(_ path: [String]) -> TemplateValue? {
        guard let first = path.first, var value = value(named: first) else { return nil }
        for key in path.dropFirst() {
            guard case .object(let record) = value, let next = record[key] else { return nil }
            value = next
        }
        return value
    }
}

indirect enum TemplateExpression: Sendable {
    case constant(TemplateValue)
    case variable([String])
    case not(TemplateExpression)
    case negate(TemplateExpression)
    case binary(TemplateExpression, LeafOperator, TemplateExpression)
    case contained(TemplateExpression, in: TemplateExpression)
    /// `#url("route.name", …)`: the route's segments when the name is fixed, else looked up.
    case url(segments: [Segment]?, arguments: [TemplateExpression])
    case count([TemplateExpression])

    func evaluate(in scope: TemplateScope) throws -> TemplateValue {
        switch self {
        case .constant(let value):
            return value
        case .variable(let path):
            return scope.value(at: path)
        case .not(let operand):
            return .bool(try !operand.evaluate(in: scope).truth())
        case .negate(let operand):
            return try TemplateArithmetic.apply(.int(-1), .multiply, operand.evaluate(in: scope))
        case .binary(let left, let op, let right):
            return try TemplateArithmetic.apply(left.evaluate(in: scope), op, right.evaluate(in: scope))
        case .contained(let element, let list):
            guard case .array(let items) = try list.evaluate(in: scope) else { throw TemplateUnsupported(reason: "`in` over something not a list") }
            let wanted = try element.evaluate(in: scope)
            return .bool(try items.contains { try $0.leafEquals(wanted) })
        case .url(let known, let arguments):
            var values = try arguments.map { try $0.evaluate(in: scope).castString() }
            let name = values.isEmpty ? nil : values.removeFirst()
            guard let segments = known ?? name.flatMap(SiteRoutes.segments(named:)) else {
                throw TemplateUnsupported(reason: "#url names no route")
            }
            return .string(SiteRoutes.path(segments, values: values))
        case .count(let arguments):
            guard arguments.count == 1 else { throw TemplateUnsupported(reason: "#count takes one value") }
            switch try arguments[0].evaluate(in: scope) {
            case .array(let items): return .int(items.count)
            case .object(let record): return .int(record.count)
            default: throw TemplateUnsupported(reason: "#count of something not a list")
            }
        }
    }
}

/// Leaf's operators on two values (`ParameterResolver.resolve(lhs:op:rhs:)`).
enum TemplateArithmetic {
    static func apply(_ left: TemplateValue, _ op: LeafOperator, _ right: TemplateValue) throws -> TemplateValue {
        switch op {
        case .and, .or:
            // Leaf reads both sides, whatever the first says.
            let leftHolds = try left.truth(), rightHolds = try right.truth()
            return .bool(op == .and ? leftHolds && rightHolds : leftHolds || rightHolds)
        case .equal: return .bool(try left.leafEquals(right))
        case .unequal: return .bool(try !left.leafEquals(right))
        case .lesser, .lesserOrEqual, .greater, .greaterOrEqual:
            guard let leftText = try left.castString(), let rightText = try right.castString() else { return .null }
            if let leftNumber = Double(leftText), let rightNumber = Double(rightText) {
                return .bool(compare(leftNumber, op, rightNumber))
            }
            return .bool(compare(leftText, op, rightText))
        case .plus:
            switch left {
            case .string(let text): return .string(text + (try right.castString() ?? ""))
            case .int(let number):
                if case .double(let other) = right { return .double(Double(number) + other) }
                let sum = number.addingReportingOverflow(try right.castInt() ?? 0)
                guard !sum.overflow else { throw TemplateUnsupported(reason: "a sum past Int") }
                return .int(sum.partialValue)
            case .double(let number): return .double(number + (try right.castDouble() ?? 0))
            default: throw TemplateUnsupported(reason: "+ on \(left)")
            }
        case .minus, .multiply:
            switch left {
            case .int(let number):
                if case .double(let other) = right { return .double(op == .minus ? Double(number) - other : Double(number) * other) }
                let other = try right.castInt() ?? 0
                let result = op == .minus ? number.subtractingReportingOverflow(other) : number.multipliedReportingOverflow(by: other)
                guard !result.overflow else { throw TemplateUnsupported(reason: "a result past Int") }
                return .int(result.partialValue)
            case .double(let number):
                let other = try right.castDouble() ?? 0
                return .double(op == .minus ? number - other : number * other)
            default: throw TemplateUnsupported(reason: "\(op) on \(left)")
            }
        default:
            throw TemplateUnsupported(reason: "the operator \(op)")
        }
    }

    private static func compare<T: Comparable>(_ left: T, _ op: LeafOperator, _ right: T) -> Bool {
        switch op {
        case .lesser: left < right
        case .lesserOrEqual: left <= right
        case .greater: left > right
        default: left >= right
        }
    }
}

/// Printing a value as Leaf does: text HTML-escaped, numbers and booleans as their description,
/// no value as nothing.
enum TemplateOutput {
    static func write(_ value: TemplateValue, into buffer: inout ByteBuffer) throws {
        switch value {
        case .null: return
        case .string(let text): writeEscaped(text, into: &buffer)
        case .int(let number): buffer.writeString(number.description)
        case .double(let number): buffer.writeString(number.description)
        case .bool(let flag): buffer.writeString(flag.description)
        case .array, .object: throw TemplateUnsupported(reason: "a list or record printed")
        }
    }

    /// Leaf's `htmlEscaped()` byte by byte: the five characters it replaces are ASCII, which never
    /// occurs inside a longer UTF-8 sequence.
    static func writeEscaped(_ text: String, into buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for position in bytes.indices {
                let replacement: StaticString
                switch bytes[position] {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "\""): replacement = "&quot;"
                case UInt8(ascii: "'"): replacement = "&#39;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                default: continue
                }
                buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<position])))
                buffer.writeStaticString(replacement)
                start = position + 1
            }
            buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start...])))
        }
    }
}

/// Turns LeafKit's flattened syntax into `TemplateNode`s, refusing what the renderer does not do.
struct TemplateCompiler {
    /// The tags Leaf's renderer knows; any other prints its name.
    let knownTags: Set<String>
    let ignoresUnfoundImports: Bool

    func compile(_ syntax: [Syntax]) throws -> CompiledTemplate {
        let nodes = try compileBody(syntax)
        return CompiledTemplate(nodes: nodes, fixedBytes: Self.fixedBytes(nodes))
    }

    private static func fixedBytes(_ nodes: [TemplateNode]) -> Int {
        nodes.reduce(0) { total, node in
            switch node {
            case .raw(let text): return total + text.readableBytes
            case .conditional(let branches): return total + (branches.map { fixedBytes($0.body) }.max() ?? 0)
            case .loop(_, _, _, let body): return total + fixedBytes(body)
            case .output, .text: return total + 16
            }
        }
    }

    private func compileBody(_ syntax: [Syntax]) throws -> [TemplateNode] {
        var nodes: [TemplateNode] = []
        for element in syntax {
            switch element {
            case .raw(let text):
                // Leaf merges neighbouring text only across its own resolution; merging here saves a write.
                if case .raw(var previous) = nodes.last {
                    var more = text
                    previous.writeBuffer(&more)
                    nodes[nodes.count - 1] = .raw(previous)
                } else {
                    nodes.append(.raw(text))
                }
            case .expression(let parts):
                nodes.append(.output(try expression([.expression(parts)])))
            case .custom(let tag):
                // A body is the tag's to use; `#url` and `#count` ignore theirs, and Leaf prints an
                // unknown tag's name alone.
                if knownTags.contains(tag.name) {
                    nodes.append(.output(try call(tag)))
                } else {
                    nodes.append(.text("#" + tag.name))
                }
            case .conditional(let conditional):
                let branches = try conditional.chain.map { link -> (condition: TemplateExpression?, body: [TemplateNode]) in
                    switch link.condition {
                    case .if(let parameters), .elseif(let parameters): return (try expression(parameters), try compileBody(link.body))
                    case .else: return (nil, try compileBody(link.body))
                    }
                }
                nodes.append(.conditional(branches))
            case .loop(let loop):
                let path = loop.array.split(separator: ".").map(String.init)
                guard !path.isEmpty else { throw TemplateUnsupported(reason: "a loop over nothing") }
                nodes.append(.loop(item: loop.item, index: loop.index, path: path, body: try compileBody(loop.body)))
            case .import:
                guard ignoresUnfoundImports else { throw TemplateUnsupported(reason: "an import left unresolved") }
            case .with, .extend, .export:
                throw TemplateUnsupported(reason: "#with, or an unresolved #extend")
            }
        }
        return nodes
    }

    /// A condition or printed value: exactly one parameter (Leaf's `resolveAtomic`).
    private func expression(_ parameters: [ParameterDeclaration]) throws -> TemplateExpression {
        guard parameters.count == 1 else { throw TemplateUnsupported(reason: "a statement of \(parameters.count) values") }
        return try compile(parameters[0])
    }

    private func compile(_ parameter: ParameterDeclaration) throws -> TemplateExpression {
        switch parameter {
        case .parameter(let value):
            return try compile(value)
        case .tag(let tag):
            return try call(tag)
        case .expression(let parts):
            switch parts.count {
            case 1:
                return try compile(parts[0])
            case 2:
                guard case .parameter(.operator(let op)) = parts[0] else { throw TemplateUnsupported(reason: "a two-part expression") }
                switch op {
                case .not: return .not(try compile(parts[1]))
                case .minus: return .negate(try compile(parts[1]))
                default: throw TemplateUnsupported(reason: "the prefix \(op)")
                }
            case 3:
                guard case .parameter(let middle) = parts[1] else { throw TemplateUnsupported(reason: "a three-part expression") }
                let left = try compile(parts[0]), right = try compile(parts[2])
                switch middle {
                case .keyword(.in): return .contained(left, in: right)
                case .keyword: return .constant(.null)
                case .operator(let op): return .binary(left, op, right)
                default: throw TemplateUnsupported(reason: "a three-part expression")
                }
            default:
                throw TemplateUnsupported(reason: "an expression of \(parts.count) parts")
            }
        }
    }

    private func compile(_ value: Parameter) throws -> TemplateExpression {
        switch value {
        case .constant(.int(let number)): return .constant(.int(number))
        case .constant(.double(let number)): return .constant(.double(number))
        case .stringLiteral(let text): return .constant(.string(text))
        case .variable(let name): return .variable(name.split(separator: ".").map(String.init))
        case .keyword(.true), .keyword(.yes): return .constant(.bool(true))
        case .keyword(.false), .keyword(.no): return .constant(.bool(false))
        case .keyword(.nil): return .constant(.null)
        case .keyword, .tag, .operator: throw TemplateUnsupported(reason: "the parameter \(value)")
        }
    }

    private func call(_ tag: Syntax.CustomTagDeclaration) throws -> TemplateExpression {
        let arguments = try tag.params.map { try compile($0) }
        switch tag.name {
        case "url":
            if case .constant(.string(let name))? = arguments.first, let segments = SiteRoutes.segments(named: name) {
                return .url(segments: segments, arguments: arguments)
            }
            return .url(segments: nil, arguments: arguments)
        case "count":
            return .count(arguments)
        default:
            throw TemplateUnsupported(reason: "the tag #\(tag.name)")
        }
    }
}
