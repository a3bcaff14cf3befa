using Microsoft.Extensions.Time.Testing;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Tests.Postgres;

/// <summary>
/// Base of tests where several "instances" meet in one database: each instance is its own database object (its own
/// pool) on the test's shared data, and all share one fake clock, so expiries are reached by advancing time, not by
/// waiting. A concrete class names the engine through <see cref="OpenShared"/>.
/// </summary>
public abstract class InstancesOnSharedData : IAsyncLifetime
{
    private readonly List<ISqlDatabase> _opened = [];

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 17, 0, 0, TimeSpan.Zero));

    /// <summary>A new database object on this test's shared data.</summary>
    protected abstract ISqlDatabase OpenShared();

    /// <summary>Another instance's database, closed with the test.</summary>
    protected ISqlDatabase OpenInstance()
    {
        var db = OpenShared();
        _opened.Add(db);
        return db;
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var db in _opened.OfType<IAsyncDisposable>()) await db.DisposeAsync();
    }
}
