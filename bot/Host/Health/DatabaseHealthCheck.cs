using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Host.Health;

/// <summary>
/// The bot is only useful while its database answers: one cheap query on the state table (no scan), bounded in time,
/// so a locked, missing or unreadable database turns /healthz into 503 with the reason.
/// </summary>
public sealed class DatabaseHealthCheck(ISqlDatabase database) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var connection = await database.OpenAsync(timeout.Token).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1 FROM documents LIMIT 1";
            await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{database.Dialect} database answers.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The {database.Dialect} database did not answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // The provider's message names the problem (no such table, unable to open file, …) and holds no secret.
            return HealthCheckResult.Unhealthy($"The {database.Dialect} database failed: {ex.Message}");
        }
    }
}
