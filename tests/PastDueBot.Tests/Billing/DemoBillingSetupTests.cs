using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using PastDueBot.Domain.Billing;
using PastDueBot.Storage;
using PastDueBot.Storage.Billing;

namespace PastDueBot.Tests.Billing;

public sealed class DemoBillingSetupTests
{
    [Fact]
    public async Task The_processor_delay_holds_the_answer_until_the_clock_has_moved_on()
    {
        await using var f = new LedgerFixture(new DemoBillingOptions { ProcessorDelay = TimeSpan.FromSeconds(20) });
        var account = new BillingAccount("tenant-contoso", "slow-admin");
        var (sub, _) = await f.PastDueAsync(account);

        var settle = f.Ledger.SettleAsync(account, new SettleRequest(sub.Id, sub.PaymentMethodId, new CardExpiry(9, 2029), "slow"));
        f.Time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(settle.IsCompleted);
        f.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(PaymentOutcome.Paid, (await settle).Outcome);
    }

    [Fact]
    public async Task Registration_puts_the_ledger_on_the_configured_sqlite_file()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pastduebot-billing-di-" + Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Sqlite:Path"] = Path.Combine(folder, "bot.db"),
            ["Billing:Demo:ProcessorDelay"] = "00:00:00",
            ["Billing:Demo:Currency"] = "EUR",
        }).Build();
        try
        {
            var services = new ServiceCollection().AddLogging()
                .AddSingleton<TimeProvider>(new FakeTimeProvider(LedgerFixture.Now))
                .AddPastDueBotStorage(configuration, new TestEnvironment(folder))
                .AddDemoBilling(configuration);
            await using var provider = services.BuildServiceProvider();

            var billing = provider.GetRequiredService<IBillingProvider>();
            var due = await billing.GetPastDueSubscriptionsAsync(new BillingAccount("t", "a"));

            Assert.IsType<DemoBillingLedger>(billing);
            Assert.All(due, s => Assert.Equal("EUR", s.Balance.Currency));
            Assert.True(File.Exists(Path.Combine(folder, "bot.db")));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class TestEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Development";

        public string ApplicationName { get; set; } = "PastDueBot.Tests";

        public string ContentRootPath { get; set; } = root;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
