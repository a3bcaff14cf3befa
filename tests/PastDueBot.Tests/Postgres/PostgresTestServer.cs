using Npgsql;

namespace PastDueBot.Tests.Postgres;

/// <summary>
/// The PostgreSQL server the tests may use: <c>PASTDUEBOT_TEST_POSTGRES</c> holds an admin connection string
/// (scripts/test.sh starts a throwaway server on loopback and sets it). Without it the PostgreSQL tests are skipped
/// with a loud reason, except in CI (<c>CI=true</c>), where they run and fail.
/// </summary>
public static class PostgresTestServer
{
    public const string Variable = "PASTDUEBOT_TEST_POSTGRES";

    public static string? AdminConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why PostgreSQL tests are skipped here, or null when they must run.</summary>
    public static string? SkipReason => AdminConnectionString is null && !InCi
        ? $"!!! POSTGRESQL TESTS SKIPPED: {Variable} is not set. Run scripts/test.sh, or export {Variable}=\"$(bash scripts/postgres-test-server.sh start)\" !!!"
        : null;

    public static string RequireAdmin() => AdminConnectionString
        ?? throw new InvalidOperationException($"CI=true but {Variable} is not set: the PostgreSQL tests must run in CI (scripts/test.sh starts the server).");

    /// <summary>Creates an empty database and returns a connection string for it (same server and credentials).</summary>
    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"pdb_{Sanitize(purpose)}_{Guid.NewGuid():N}"; // at most 57 characters of PostgreSQL's 63
        await using (var admin = new NpgsqlConnection(RequireAdmin()))
        {
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(RequireAdmin()) { Database = name, MaxPoolSize = 40 }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(RequireAdmin());
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await command.ExecuteNonQueryAsync();
    }

    private static string Sanitize(string purpose)
    {
        var chars = purpose.ToLowerInvariant().Where(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9')).Take(20).ToArray();
        return new string(chars);
    }
}
