using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PastDueBot.Domain.Billing;
using PastDueBot.Storage.Billing;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Tests.Billing;

/// <summary>A demo ledger on a real SQLite file in a fresh temp folder, with a fixed clock and captured logs.</summary>
public sealed class LedgerFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 16, 0, 0, TimeSpan.Zero);

    private readonly ILoggerFactory _loggers;

    private readonly DemoBillingOptions _options;

    public LedgerFixture(DemoBillingOptions? options = null)
    {
        _options = options ?? new DemoBillingOptions();
        _loggers = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        Folder = Path.Combine(Path.GetTempPath(), "pastduebot-billing-" + Guid.NewGuid().ToString("N"));
        DatabasePath = Path.Combine(Folder, "ledger.db");
        Ledger = Open();
    }

    public string Folder { get; }

    public string DatabasePath { get; }

    public FakeTimeProvider Time { get; } = new(Now);

    public CapturingLoggerProvider Logs { get; } = new();

    public DemoBillingLedger Ledger { get; private set; }

    public SqliteDatabase Database { get; private set; } = null!;

    /// <summary>A new database object and ledger on the same file, as after a restart.</summary>
    public DemoBillingLedger Open()
    {
        Database = new SqliteDatabase(DatabasePath);
        Ledger = new DemoBillingLedger(Database, Time, Options.Create(_options), _loggers.CreateLogger<DemoBillingLedger>());
        return Ledger;
    }

    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<(Subscription Expired, Subscription Megans)> PastDueAsync(BillingAccount account)
    {
        var due = await Ledger.GetPastDueSubscriptionsAsync(account);
        return (due.Single(s => s.ProductName == "Microsoft 365 Business Premium"), due.Single(s => s.ProductName == "Microsoft Teams Phone Standard"));
    }

    /// <summary>Closes this file's pooled connections (the last close checkpoints the WAL into the main file).</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString());
        SqliteConnection.ClearPool(connection);
    }

    public ValueTask DisposeAsync()
    {
        _loggers.Dispose();
        ClearPool();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a pooled connection on another test: the temp folder is cleaned by the OS.
        }

        return ValueTask.CompletedTask;
    }
}

public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            owner.Lines.Enqueue($"{category} {formatter(state, exception)} {structured} {exception}");
        }
    }
}
