using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PastDueBot.Storage.Sql;

/// <summary>
/// Connects once before anything else starts, so a wrong connection string stops start-up with the key to fix and
/// the server's own words (never the password), instead of failing the first turn.
/// </summary>
internal sealed partial class StorageStartupCheck(ISqlDatabase database, ILogger<StorageStartupCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (database is PostgresDatabase postgres && ex is NpgsqlException or SocketException or TimeoutException or InvalidOperationException)
        {
            var message = $"{StorageServiceCollectionExtensions.ProviderKey} is Postgres, but {StorageServiceCollectionExtensions.PostgresConnectionKey} " +
                          $"({postgres.Describe()}) does not connect: {ServerError(ex)}";
            LogUnavailable(message);
            throw new StorageStartupException(message);
        }
        catch (Exception ex) when (database is SqliteDatabase sqlite && ex is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            var message = $"{StorageServiceCollectionExtensions.SqlitePathKey} ({sqlite.Path}) cannot be opened: {ex.Message}";
            LogUnavailable(message);
            throw new StorageStartupException(message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The server's text (e.g. <c>28P01: password authentication failed</c>) or the innermost network error.</summary>
    private static string ServerError(Exception ex)
    {
        if (ex is PostgresException pg) return $"{pg.SqlState}: {pg.MessageText}";
        var parts = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is PostgresException inner) return $"{inner.SqlState}: {inner.MessageText}";
            if (!parts.Contains(e.Message, StringComparer.Ordinal)) parts.Add(e.Message);
        }
        return string.Join(" — ", parts);
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Critical, Message = "{Problem}")]
    private partial void LogUnavailable(string problem);
}
