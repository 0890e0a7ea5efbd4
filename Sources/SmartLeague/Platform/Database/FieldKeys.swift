import Fluent
import NIOConcurrencyHelpers

/// A model's field keys by key path, found once.
///
/// Fluent finds the key behind `\.$name` by building a whole model and reading the property
/// (`Fields.path(for:)`): one allocation and one generic-metadata look-up for each of the model's
/// properties, then as many releases. A branch's transfer list named twenty fields and four scope
/// paths that way for each request, and building and freeing those models was a third of its CPU.
enum FieldKeys {
    /// A key path as a dictionary key. Key paths are immutable once made, so sharing them
    /// between threads is safe although the standard library does not mark them `Sendable`.
    private struct Known: Hashable, @unchecked Sendable {
        let keyPath: AnyKeyPath
    }

    private static let known = NIOLockedValueBox<[Known: [FieldKey]]>([:])

    /// The key of the field at `keyPath`.
    static func path<M: Fields, P: AnyQueryableProperty>(_ keyPath: KeyPath<M, P>) -> [FieldKey] {
        if let found = known.withLockedValue({ $0[Known(keyPath: keyPath)] }) { return found }
        let path = M.path(for: keyPath)
        known.withLockedValue { $0[Known(keyPath: keyPath)] = path }
        return path
    }

    /// The keys of the fields at `keyPaths`, read from one model when any is new. A key path that
    /// is not a queryable field's has no key (`fields(_:)` takes none; caught in debug builds).
    static func paths<M: Fields>(_ keyPaths: [PartialKeyPath<M>]) -> [[FieldKey]] {
        let found = known.withLockedValue { known in keyPaths.map { known[Known(keyPath: $0)] } }
        if !found.contains(where: { $0 == nil }) { return found.compactMap { $0 } }
        let model = M()
        let paths = keyPaths.compactMap { keyPath -> (AnyKeyPath, [FieldKey])? in
            guard let property = model[keyPath: keyPath] as? any AnyQueryableProperty else {
                assertionFailure("\(keyPath) is not a field of \(M.self)")
                return nil
            }
            return (keyPath, property.path)
        }
        known.withLockedValue { known in
            for (keyPath, path) in paths { known[Known(keyPath: keyPath)] = path }
        }
        return paths.map(\.1)
    }

    /// The field at `keyPath` as a query names it.
    static func field<M: Schema, P: AnyQueryableProperty>(_ keyPath: KeyPath<M, P>) -> DatabaseQuery.Field {
        .extendedPath(path(keyPath), schema: M.schemaOrAlias, space: M.spaceIfNotAliased)
    }
}

extension QueryBuilder {
    /// Selects the fields at `keyPaths`, as `field(_:)` for each, with their keys found once.
    @discardableResult
    func fields<each Property: AnyQueryableProperty>(_ keyPaths: repeat KeyPath<Model, each Property>) -> Self {
        var named: [PartialKeyPath<Model>] = []
        for keyPath in repeat each keyPaths { named.append(keyPath) }
        for path in FieldKeys.paths(named) {
            field(.extendedPath(path, schema: Model.schemaOrAlias, space: Model.spaceIfNotAliased))
        }
        return self
    }
}
