using System.Text;
using PastDueBot.Domain.Billing;

namespace PastDueBot.Tests.Billing;

/// <summary>After a full settle with "add a new card", neither the card number nor the code is anywhere on disk or in the logs.</summary>
public sealed class CardDataNeverStoredTests : IAsyncLifetime
{
    private readonly LedgerFixture _f = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Theory]
    [InlineData("3782 822463 10005", "378282246310005", "8517")]
    [InlineData("4000-0000-0000-9995", "4000000000009995", "946")]
    [InlineData("5555 5555 5555 4444", "5555555555554444", "719")]
    public async Task The_number_and_security_code_leave_no_trace(string typed, string digits, string code)
    {
        var account = new BillingAccount("tenant-contoso", "6a0c4e2b-1111-4f22-8e33-0000000000aa");
        var (_, sub) = await _f.PastDueAsync(account);
        var card = await _f.Ledger.AddCardAsync(account, new NewCard("Ada Admin", typed, new CardExpiry(6, 2030), code));
        var result = await _f.Ledger.SettleAsync(account, new SettleRequest(sub.Id, card.Id, null, "add-new-card"));
        await _f.Ledger.SettleAsync(account, new SettleRequest(sub.Id, card.Id, null, "add-new-card"));
        Assert.Equal(digits[^4..], result.Card.LastFour);

        // Once with the pages still in the WAL, once after every connection closed and checkpointed.
        var live = await ReadAllAsync();
        _f.ClearPool();
        var checkpointed = await ReadAllAsync();
        Assert.Contains(live.Keys, f => f.EndsWith(".db", StringComparison.Ordinal));
        foreach (var (file, bytes) in live.Select(p => ("live " + p.Key, p.Value)).Concat(checkpointed.Select(p => ("closed " + p.Key, p.Value))))
        {
            foreach (var needle in new[] { digits, typed, code })
            {
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(needle)), $"{file} holds '{needle}' (UTF-8)");
                Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(needle)), $"{file} holds '{needle}' (UTF-16)");
            }
        }

        // The masked card is there: the scan looked at the right bytes.
        Assert.Contains(checkpointed.Values, b => Contains(b, Encoding.UTF8.GetBytes("Ada Admin")));

        Assert.NotEmpty(_f.Logs.Lines);
        foreach (var line in _f.Logs.Lines)
        {
            foreach (var needle in new[] { digits, typed, code })
            {
                Assert.DoesNotContain(needle, line, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>The .db, -wal and -shm files as they are now; a WAL removed by a checkpoint meanwhile is skipped.</summary>
    private async Task<Dictionary<string, byte[]>> ReadAllAsync()
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(_f.Folder))
        {
            try
            {
                files[Path.GetFileName(file)] = await ReadSharedAsync(file);
            }
            catch (FileNotFoundException)
            {
            }
        }

        return files;
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
