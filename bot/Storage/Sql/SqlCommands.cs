using System.Data.Common;

namespace PastDueBot.Storage.Sql;

/// <summary>
/// ADO.NET helpers that read and write the same way on SQLite and PostgreSQL, shared by every SQL-backed store.
/// Instants are stored as Unix milliseconds: one portable BIGINT on every engine.
/// </summary>
public static class SqlCommands
{
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string GetRequiredString(this DbDataReader reader, string column) => reader.GetString(reader.GetOrdinal(column));

    public static string? GetNullableString(this DbDataReader reader, string column) => reader.GetNullableString(reader.GetOrdinal(column));

    public static string? GetNullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>INTEGER is 64-bit in SQLite and 32-bit in PostgreSQL; read either.</summary>
    public static long GetInt64(this DbDataReader reader, string column) => reader.GetInteger(reader.GetOrdinal(column));

    public static long? GetNullableInt64(this DbDataReader reader, string column) => reader.GetNullableInteger(reader.GetOrdinal(column));

    /// <summary>INTEGER is 64-bit in SQLite and 32-bit in PostgreSQL; read either, without boxing it.</summary>
    public static long GetInteger(this DbDataReader reader, int ordinal) =>
        reader.GetFieldType(ordinal) == typeof(int) ? reader.GetInt32(ordinal) : reader.GetInt64(ordinal);

    public static long? GetNullableInteger(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInteger(ordinal);

    public static long ToUnixMs(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
