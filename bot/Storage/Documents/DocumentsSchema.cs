using PastDueBot.Storage.Sql;

namespace PastDueBot.Storage.Documents;

/// <summary>
/// The <c>documents</c> table behind <see cref="SqlStorage"/>. JSON is kept as TEXT (not jsonb) so a document
/// reads back byte for byte as written, which is what BotState's change check compares.
/// </summary>
public static class DocumentsSchema
{
    public const string Component = "documents";

    public static IReadOnlyList<SchemaStep> Steps { get; } =
    [
        new(1,
            Sqlite: """
                CREATE TABLE IF NOT EXISTS documents (
                    key TEXT NOT NULL PRIMARY KEY,
                    json TEXT NOT NULL,
                    etag TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                ) WITHOUT ROWID
                """,
            Postgres: """
                CREATE TABLE IF NOT EXISTS documents (
                    key TEXT NOT NULL PRIMARY KEY,
                    json TEXT NOT NULL,
                    etag TEXT NOT NULL,
                    updated_at TIMESTAMPTZ NOT NULL
                )
                """),
        // SQLite: an ordinary (rowid) table. A WITHOUT ROWID table is an index b-tree, which keeps at most about a
        // quarter of a page in the row and spills the rest: a 2.4 KB dialog stack lived in an overflow page, and
        // every save wrote 4 pages (row, new overflow page, freelist, header) where a rowid table writes 1.
        new(2,
            Sqlite: """
                CREATE TABLE documents_v2 (
                    key TEXT NOT NULL PRIMARY KEY,
                    json TEXT NOT NULL,
                    etag TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                INSERT INTO documents_v2 (key, json, etag, updated_at) SELECT key, json, etag, updated_at FROM documents;
                DROP TABLE documents;
                ALTER TABLE documents_v2 RENAME TO documents;
                """,
            Postgres: "SELECT 1"),
    ];
}
