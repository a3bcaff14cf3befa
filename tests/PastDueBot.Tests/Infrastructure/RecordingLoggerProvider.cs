using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>Keeps every log line with its scopes and exception text, so tests can check what the app logs (and what it must not).</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogRecord> _records = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<LogRecord> Records => _records.ToArray();

    /// <summary>All text the logs hold: messages, scope values, exceptions.</summary>
    public string AllText => string.Join("\n", Records.Select(r => $"{r.Message} | {string.Join(";", r.Scopes)} | {r.Exception}"));

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
            owner._records.Enqueue(new LogRecord(category, logLevel, formatter(state, exception), scopes, exception?.ToString()));
        }
    }
}

public sealed record LogRecord(string Category, LogLevel Level, string Message, IReadOnlyList<string> Scopes, string? Exception);
