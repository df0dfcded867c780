using Microsoft.Extensions.Logging;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>A logger that keeps every entry: level, event id, structured state, message and exception.</summary>
internal sealed class CapturingLogger : ILogger
{
    public List<LogEntry> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        Entries.Add(new LogEntry(logLevel, eventId, values.ToDictionary(v => v.Key, v => v.Value), formatter(state, exception), exception));
    }
}

/// <summary>One captured log entry.</summary>
internal sealed record LogEntry(LogLevel Level, EventId EventId, IReadOnlyDictionary<string, object?> State, string Message, Exception? Exception);
