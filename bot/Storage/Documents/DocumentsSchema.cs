using PastDueBot.Storage.Sql;

namespace PastDueBot.Storage.Documents;

/// <summary>
/// The <c>documents</c> table behind <see cref="SqlStorage"/>. JSON is kept as TEXT (not jsonb) so a document
/// reads back byte for byte as written, which is what BotState's change hash compares.
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
    ];
}
