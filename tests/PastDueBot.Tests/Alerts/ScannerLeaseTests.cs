using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PastDueBot.Alerts;
using PastDueBot.Alerts.Scanning;
using PastDueBot.Alerts.Storage;
using PastDueBot.Conversation.Resources;
using PastDueBot.Domain.Billing;
using PastDueBot.Protocol.Connector;
using PastDueBot.Storage.Coordination;
using PastDueBot.Storage.Sql;
using PastDueBot.Tests.State;

namespace PastDueBot.Tests.Alerts;

/// <summary>
/// The past-due scanner of two instances (two service containers, two database objects on one SQLite file) with a
/// short lease: when the scanning instance stalls (its renewals stop getting through), the other takes the lease
/// over and scans; when the stalled one wakes up, its renewal is refused and its scan is cancelled.
/// </summary>
public sealed class ScannerLeaseTests : IAsyncLifetime
{
    private readonly TempSqliteFile _file = new();
    private readonly List<ServiceProvider> _instances = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
        _file.Dispose();
    }

    private (PastDueScanner Scanner, SqlLeaderLease Lease) Instance(ScanningBilling billing, ILeaderLease? lease = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Alerts:ScanInterval"] = "01:00:00",
            ["Alerts:ScannerLeaseTtl"] = "00:00:00.600",
            ["Alerts:BackgroundEnabled"] = "false",
        }).Build();
        var database = new SqliteDatabase(_file.Path);
        var own = new SqlLeaderLease(database, TimeProvider.System);
        var services = new ServiceCollection()
            .AddLogging()
            .AddLocalization()
            .AddSingleton<BotTexts>()
            .AddSingleton<ISqlDatabase>(database)
            .AddSingleton<ILeaderLease>(lease ?? own)
            .AddSingleton<IBillingProvider>(billing)
            .AddSingleton<IConnectorClientFactory, NoConnector>()
            .AddAlerts(configuration)
            .BuildServiceProvider();
        _instances.Add(services);
        return (services.GetRequiredService<PastDueScanner>(), own);
    }

    [Fact]
    public async Task A_stalled_scanner_loses_the_lease_to_another_instance_and_its_scan_is_cancelled()
    {
        var first = new ScanningBilling { Block = true };
        var second = new ScanningBilling();
        var stallable = new StallableLease();
        var (scannerA, lease) = Instance(first, stallable);
        stallable.Inner = lease;
        await new AlertsStore(new SqliteDatabase(_file.Path), TimeProvider.System).SubscribeAsync(
            new AlertChannel("19:general@thread.tacv2", "tenant-1", null, "http://127.0.0.1:1/teams/", "28:pastduebot", "en-US", true, null, null));

        await scannerA.StartAsync(CancellationToken.None);
        await first.Started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var holderA = (await lease.GetHolderAsync(PastDueScanner.LeaseName))!;
        Assert.Equal(scannerA.Holder, holderA.Holder);

        // A hangs in a long scan and its renewals stop getting through (a stalled process or network).
        stallable.Stall();
        var (scannerB, _) = Instance(second);
        await scannerB.StartAsync(CancellationToken.None);
        await second.Started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var holderB = (await lease.GetHolderAsync(PastDueScanner.LeaseName))!;
        Assert.Equal(scannerB.Holder, holderB.Holder);
        Assert.Equal(holderA.Generation + 1, holderB.Generation);

        // A wakes up: its renewal is refused, and the scan it was in is cancelled.
        stallable.Resume();
        await first.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(scannerB.Holder, (await lease.GetHolderAsync(PastDueScanner.LeaseName))!.Holder);

        await scannerA.StopAsync(CancellationToken.None);
        await scannerB.StopAsync(CancellationToken.None);
        Assert.Null(await lease.GetHolderAsync(PastDueScanner.LeaseName)); // a clean stop hands the lease back
    }

    /// <summary>The billing port as the scanner uses it: records scans; with <see cref="Block"/> a scan lasts until cancelled.</summary>
    private sealed class ScanningBilling : IBillingProvider
    {
        public bool Block { get; init; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<IReadOnlyList<Subscription>> ScanPastDueAsync(string tenantId, CancellationToken cancellationToken = default)
        {
            Started.TrySetResult();
            if (Block)
            {
                try { await Task.Delay(Timeout.Infinite, cancellationToken); }
                catch (OperationCanceledException) { Cancelled.TrySetResult(); throw; }
            }
            return [];
        }

        public Task<IReadOnlyList<Subscription>> GetPastDueSubscriptionsAsync(BillingAccount account, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<Subscription?> GetSubscriptionAsync(BillingAccount account, string subscriptionId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<PaymentMethod>> GetPaymentMethodsAsync(BillingAccount account, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<PaymentMethod> AddCardAsync(BillingAccount account, NewCard card, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<PaymentResult> SettleAsync(BillingAccount account, SettleRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    /// <summary>The real lease, whose calls can be held up for a while (they go through, late, when resumed).</summary>
    private sealed class StallableLease : ILeaderLease
    {
        private volatile TaskCompletionSource? _stalled;

        public ILeaderLease Inner { get; set; } = null!;

        public void Stall() => _stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Resume() => _stalled?.TrySetResult();

        public async Task<LeaseGrant?> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken = default)
        {
            if (_stalled is { } stalled) await stalled.Task.WaitAsync(cancellationToken);
            return await Inner.TryAcquireAsync(name, holder, ttl, cancellationToken);
        }

        public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default) => Inner.ReleaseAsync(name, holder, cancellationToken);

        public Task<LeaseGrant?> GetHolderAsync(string name, CancellationToken cancellationToken = default) => Inner.GetHolderAsync(name, cancellationToken);
    }

    /// <summary>The scanner decides no sends here, so nothing may reach a connector.</summary>
    private sealed class NoConnector : IConnectorClientFactory
    {
        public IConnectorClient Create(string serviceUrl) => throw new InvalidOperationException("No send was expected.");
    }
}
