import Fluent
import SQLKit

extension Database {
    /// Tree paths compare byte by byte on both engines, so that a subtree is one index range
    /// whatever collation the PostgreSQL database was created with.
    var treePathType: DatabaseSchema.DataType {
        isPostgres ? .custom(SQLRaw("TEXT COLLATE \"C\"")) : .string
    }

    func createIndex(_ name: String, on table: String, columns: [String], unique: Bool = false) async throws {
        var builder = sql.create(index: name).on(table)
        if unique { builder = builder.unique() }
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }
}
