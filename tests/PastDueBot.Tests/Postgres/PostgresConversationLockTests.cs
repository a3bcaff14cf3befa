using Npgsql;
using PastDueBot.Storage.Coordination;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Tests.Postgres;

/// <summary>The advisory-lock turn lock between two "instances" (two databases objects, two pools) on one server.</summary>
[RequiresPostgres]
public sealed class PostgresConversationLockTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>, IAsyncLifetime
{
    private PostgresDatabase _a = null!;
    private PostgresDatabase _b = null!;

    public Task InitializeAsync()
    {
        _a = new PostgresDatabase(database.ConnectionString);
        _b = new PostgresDatabase(database.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    /// <summary>Waits (by asking the server, not the clock) until a session is queued on an advisory lock.</summary>
    private async Task WaitForWaitersAsync(int count)
    {
        await using var connection = await _a.DataSource.OpenConnectionAsync();
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", connection);
            if ((long)(await command.ExecuteScalarAsync())! >= count) return;
            await Task.Delay(20);
        }
    }

    [PostgresFact]
    public async Task A_second_instance_waits_for_the_first_to_release_the_same_conversation()
    {
        var lockA = new PostgresConversationLock(_a, TimeSpan.FromMinutes(1));
        var lockB = new PostgresConversationLock(_b, TimeSpan.FromMinutes(1));

        var held = await lockA.AcquireAsync("msteams/a:1", CancellationToken.None);
        await using (await lockB.AcquireAsync("msteams/a:2", CancellationToken.None))
        {
            // another conversation is not blocked
        }
        var waiting = lockB.AcquireAsync("msteams/a:1", CancellationToken.None);
        await WaitForWaitersAsync(1);
        Assert.False(waiting.IsCompleted);

        await held.DisposeAsync();
        await using (await waiting)
        {
        }
    }

    [PostgresFact]
    public async Task A_waiter_gives_up_after_its_timeout_and_leaves_nothing_queued()
    {
        var lockA = new PostgresConversationLock(_a, TimeSpan.FromMinutes(1));
        var impatient = new PostgresConversationLock(_b, TimeSpan.FromMilliseconds(300));
        await using var held = await lockA.AcquireAsync("msteams/a:timeout", CancellationToken.None);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => impatient.AcquireAsync("msteams/a:timeout", CancellationToken.None));

        Assert.Contains("00:00:00.3", error.Message, StringComparison.Ordinal);
        await WaitForWaitersAsync(0);
    }

    [PostgresFact]
    public async Task When_the_holding_instance_dies_its_lock_is_released_by_the_server()
    {
        var lockA = new PostgresConversationLock(_a, TimeSpan.FromMinutes(1));
        var lockB = new PostgresConversationLock(_b, TimeSpan.FromMinutes(1));
        var held = await lockA.AcquireAsync("msteams/a:crash", CancellationToken.None);
        var waiting = lockB.AcquireAsync("msteams/a:crash", CancellationToken.None);
        await WaitForWaitersAsync(1);

        // The holder's session ends as it would when its process is killed.
        await using (var admin = await _a.DataSource.OpenConnectionAsync())
        await using (var kill = new NpgsqlCommand(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid::bigint = ($1::bigint & 4294967295) AND classid::bigint = (($1::bigint >> 32) & 4294967295)", admin))
        {
            kill.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PostgresConversationLock.LockKey("msteams/a:crash") });
            await kill.ExecuteNonQueryAsync();
        }

        await using (await waiting)
        {
        }
        await held.DisposeAsync(); // releasing on a dead session is harmless
    }

    [PostgresFact]
    public async Task Hundreds_of_turns_on_ten_conversations_across_two_instances_never_overlap()
    {
        var locks = new[] { new PostgresConversationLock(_a, TimeSpan.FromMinutes(1)), new PostgresConversationLock(_b, TimeSpan.FromMinutes(1)) };
        var inside = new int[10];
        var overlaps = 0;
        var counts = new int[10];

        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(async () =>
        {
            var c = i % 10;
            await using var handle = await locks[i / 10 % 2].AcquireAsync($"msteams/conv-{c}", CancellationToken.None);
            if (Interlocked.Increment(ref inside[c]) != 1) Interlocked.Increment(ref overlaps);
            await Task.Yield();
            counts[c]++;
            Interlocked.Decrement(ref inside[c]);
        })));

        Assert.Equal(0, overlaps);
        Assert.All(counts, n => Assert.Equal(30, n));
    }

    // A [PostgresFact] like the rest: the class fixture needs the server, so a plain [Fact] failed without one.
    [PostgresFact]
    public void Lock_keys_are_stable_64_bit_hashes()
    {
        Assert.Equal(PostgresConversationLock.LockKey("msteams/a:1"), PostgresConversationLock.LockKey("msteams/a:1"));
        Assert.NotEqual(PostgresConversationLock.LockKey("msteams/a:1"), PostgresConversationLock.LockKey("msteams/a:2"));
    }
}
