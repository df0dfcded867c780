using Microsoft.Extensions.Logging;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>
/// The providers' log lines (event ids 2000–2002), written by <see cref="GuardedRequest"/> for every backend: the backend,
/// the query (with the configured secrets redacted), how long it took and, for a failure, its kind and HTTP status — never
/// the backend's message, which may quote the request.
/// </summary>
internal static partial class QueryLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "{Backend} answered {Query} in {ElapsedMilliseconds} ms.")]
    public static partial void Answered(ILogger logger, string backend, string query, long elapsedMilliseconds);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "{Backend} query {Query} failed after {ElapsedMilliseconds} ms: {ErrorKind} (HTTP status {StatusCode}).")]
    public static partial void Failed(ILogger logger, string backend, string query, long elapsedMilliseconds, MetricQueryErrorKind errorKind, int? statusCode);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "{Backend} query {Query} cancelled after {ElapsedMilliseconds} ms.")]
    public static partial void Cancelled(ILogger logger, string backend, string query, long elapsedMilliseconds);
}
