using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PastDueBot.Domain.Billing;
using PastDueBot.Storage.Billing;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Tests.Billing;

/// <summary>
/// A demo ledger with a fixed clock and captured logs, on a real SQLite file in a fresh temp folder (default) or on
/// the database another factory opens (PostgreSQL: a fresh schema).
/// </summary>
public sealed class LedgerFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 16, 0, 0, TimeSpan.Zero);

    private readonly ILoggerFactory _loggers;
    private readonly Func<ISqlDatabase>? _openDatabase;
    private readonly List<ISqlDatabase> _opened = [];

    private readonly DemoBillingOptions _options;

    /// <param name="openDatabase">
    /// Opens a new database object on the same data each call (a restart, or a second instance); null for SQLite.
    /// </param>
    public LedgerFixture(DemoBillingOptions? options = null, Func<ISqlDatabase>? openDatabase = null)
    {
        _options = options ?? new DemoBillingOptions();
        _openDatabase = openDatabase;
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

    public ISqlDatabase Database { get; private set; } = null!;

    /// <summary>A new database object and ledger on the same data, as after a restart.</summary>
    public DemoBillingLedger Open()
    {
        Database = NewDatabase();
        Ledger = NewLedger(Database);
        return Ledger;
    }

    /// <summary>A second database object on the same data: another process's connection pool.</summary>
    public ISqlDatabase NewDatabase()
    {
        var database = _openDatabase?.Invoke() ?? new SqliteDatabase(DatabasePath);
        _opened.Add(database);
        return database;
    }

    public DemoBillingLedger NewLedger(ISqlDatabase database) =>
        new(database, Time, Options.Create(_options), _loggers.CreateLogger<DemoBillingLedger>());

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

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _opened.OfType<IAsyncDisposable>()) await database.DisposeAsync();
        _loggers.Dispose();
        ClearPool();
        if (!Directory.Exists(Folder))
        {
            return; // not on SQLite: nothing was written here
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a pooled connection on another test: the temp folder is cleaned by the OS.
        }
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
