using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>
/// Keeps every log event at every level with its structured fields, scopes and exception, so tests can check what
/// the app logs (event ids, correlating ids) and what it must never log (tokens, secrets, card numbers).
/// </summary>
public sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogRecord> _records = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<LogRecord> Records => _records.ToArray();

    /// <summary>Each event as one line of text: category, message, fields, scopes and exception.</summary>
    public IEnumerable<string> Lines => Records.Select(r => r.Text);

    /// <summary>All text the logs hold.</summary>
    public string AllText => string.Join("\n", Lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            owner._scopes.ForEachScope((scope, list) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs) list.AddRange(pairs.Select(p => $"{p.Key}={p.Value}"));
                else list.Add(scope?.ToString() ?? "");
            }, scopes);
            var fields = state is IEnumerable<KeyValuePair<string, object?>> values
                ? values.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value)
                : new Dictionary<string, object?>();
            owner._records.Enqueue(new LogRecord(category, logLevel, eventId, formatter(state, exception), fields, scopes, exception?.ToString()));
        }
    }
}

public sealed record LogRecord(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Fields, IReadOnlyList<string> Scopes, string? Exception)
{
    public string Text => $"{Category} {Message} {string.Join(";", Fields.Select(f => $"{f.Key}={f.Value}"))} | {string.Join(";", Scopes)} | {Exception}";
}
