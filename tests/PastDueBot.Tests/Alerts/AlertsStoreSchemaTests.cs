using System.Data.Common;
using PastDueBot.Alerts.Storage;
using PastDueBot.Storage.Sql;
using PastDueBot.Tests.State;

namespace PastDueBot.Tests.Alerts;

/// <summary>The alerts tables are created on first use; a first attempt that fails does not break the store for good.</summary>
public sealed class AlertsStoreSchemaTests : IDisposable
{
    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    /// <summary>A real database whose first <paramref name="failures"/> migrations fail, as when the server is briefly unreachable.</summary>
    private sealed class FlakyMigrations(ISqlDatabase inner, int failures) : ISqlDatabase
    {
        private int _left = failures;

        public SqlDialect Dialect => inner.Dialect;

        public Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => inner.OpenAsync(cancellationToken);

        public Task MigrateAsync(string component, IReadOnlyList<SchemaStep> steps, CancellationToken cancellationToken = default) =>
            Interlocked.Decrement(ref _left) >= 0
                ? Task.FromException(new TimeoutException("The database did not answer."))
                : inner.MigrateAsync(component, steps, cancellationToken);
    }

    [Fact]
    public async Task A_failed_first_migration_is_tried_again_on_the_next_use()
    {
        var store = new AlertsStore(new FlakyMigrations(new SqliteDatabase(_file.Path), failures: 1), TimeProvider.System);
        var channel = new AlertChannel("19:general@thread.tacv2", "tenant-1", null, "http://127.0.0.1:1/teams/", "28:pastduebot", "en-US", true, null, null);

        await Assert.ThrowsAsync<TimeoutException>(() => store.SubscribeAsync(channel));
        await store.SubscribeAsync(channel);

        Assert.Equal(channel, await store.GetChannelAsync(channel.ChannelId));
    }
}
