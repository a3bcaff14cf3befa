using Microsoft.Extensions.Hosting;

namespace PastDueBot.Storage.Documents;

/// <summary>Creates the documents table at start-up, so a bad database path or permission fails the host, not the first turn.</summary>
internal sealed class DocumentsSchemaInitializer(SqlStorage storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => storage.EnsureSchemaAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
