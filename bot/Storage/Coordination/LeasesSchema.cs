using PastDueBot.Storage.Sql;

namespace PastDueBot.Storage.Coordination;

/// <summary>The <c>leases</c> table: one row per named lease; instants as Unix milliseconds on both engines.</summary>
internal static class LeasesSchema
{
    public const string Component = "leases";

    private const string V1 = """
        CREATE TABLE IF NOT EXISTS leases (
            name TEXT NOT NULL PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            generation BIGINT NOT NULL
        )
        """;

    public static IReadOnlyList<SchemaStep> Steps { get; } = [new SchemaStep(1, V1, V1)];
}
