import Fluent
import NIOConcurrencyHelpers

/// A model that names its property wrappers itself, so that Fluent does not find them by
/// reflection on every row it reads or writes.
///
/// Fluent's default `properties` walks the instance with the runtime's mirror on each call, and it
/// is called once per row decoded: reading a 60-item page of 青年之声's queue or 50 transfers spent
/// a quarter of the request's CPU there (decision 011). Every model lists its wrappers in
/// `declaredProperties`, in declaration order.
///
/// A list that misses a wrapper would silently leave a column unread and unwritten, so debug builds
/// (every test run) compare each conforming type's list with the reflected one the first time the
/// type is used and stop on a difference, naming the type; `DeclaredFieldsTests` does the same for
/// each conforming model explicitly.
protocol DeclaredFields: Fields {
    /// Every property wrapper of the model (`$id`, `$name`, …) in the order they are declared.
    var declaredProperties: [any AnyProperty] { get }
}

extension DeclaredFields {
    var properties: [any AnyProperty] {
        let declared = declaredProperties
        #if DEBUG
        DeclaredFieldsCheck.once(for: Self.self) {
            if let difference = DeclaredFieldsCheck.difference(declared: declared, of: self) {
                assertionFailure("\(Self.self).declaredProperties \(difference)")
            }
        }
        #endif
        return declared
    }
}

/// Compares a declared list with the wrappers reflection finds.
enum DeclaredFieldsCheck {
    /// What the declared list lacks or has out of place, nil when it is the reflected list.
    static func difference(declared: [any AnyProperty], of model: some Fields) -> String? {
        let reflected = Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }
        let declaredIDs = declared.map(ObjectIdentifier.init)
        let reflectedIDs = reflected.map(ObjectIdentifier.init)
        guard declaredIDs != reflectedIDs else { return nil }
        let names = Mirror(reflecting: model).children.compactMap { child in
            (child.value as? any AnyProperty).map { (ObjectIdentifier($0), child.label ?? "?") }
        }
        let missing = names.filter { !declaredIDs.contains($0.0) }.map(\.1)
        return missing.isEmpty
            ? "lists \(declared.count) wrappers where the model declares \(reflected.count), or in another order"
            : "lacks \(missing.joined(separator: ", "))"
    }

    #if DEBUG
    private static let checked = NIOLockedValueBox(Set<ObjectIdentifier>())

    static func once(for type: Any.Type, _ check: () -> Void) {
        let first = checked.withLockedValue { $0.insert(ObjectIdentifier(type)).inserted }
        if first { check() }
    }
    #endif
}
