using System.Diagnostics;
using System.Globalization;
using Flurl.Http;
using Microsoft.Extensions.Logging;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>
/// Runs one HTTP query under a per-request timeout and maps every transport failure to
/// <see cref="MetricQueryException"/>, so providers never leak Flurl or socket exceptions. Only the caller's own
/// cancellation surfaces as <see cref="OperationCanceledException"/>. Flurl's exceptions are never carried (their
/// message holds the request URL): the inner exception is their cause, redacted with <see cref="Redaction"/>.
/// </summary>
internal static class GuardedRequest
{
    /// <param name="query">The query, named in every exception.</param>
    /// <param name="timeout">The per-request timeout (<see cref="Timeout.InfiniteTimeSpan"/> for none).</param>
    /// <param name="timeoutSetting">The option that sets it, for the timeout message (e.g. <c>PrometheusOptions.Timeout</c>).</param>
    /// <param name="secrets">The configured secret values to redact from messages (<see cref="Redaction.Secrets"/>).</param>
    /// <param name="send">Sends the request and reads the answer, honouring the token it is given.</param>
    /// <param name="log">Where its outcome is logged (<see cref="QueryLog"/>).</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public static async Task<T> RunAsync<T>(string query, TimeSpan timeout, string timeoutSetting, IReadOnlyList<string> secrets, Func<CancellationToken, Task<T>> send, QueryLogger log, CancellationToken cancellationToken)
    {
        var logger = log.Logger;
        if (!logger.IsEnabled(LogLevel.Debug) && !logger.IsEnabled(LogLevel.Warning))
        {
            return await RunCoreAsync(query, timeout, timeoutSetting, secrets, send, cancellationToken).ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        long Elapsed() => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        try
        {
            var result = await RunCoreAsync(query, timeout, timeoutSetting, secrets, send, cancellationToken).ConfigureAwait(false);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var (shown, elapsed) = (Redaction.Text(query, secrets), Elapsed());
                QueryLog.Answered(logger, log.Backend, shown, elapsed);
            }

            return result;
        }
        catch (MetricQueryException ex)
        {
            if (logger.IsEnabled(LogLevel.Warning))
            {
                var (shown, elapsed) = (Redaction.Text(query, secrets), Elapsed());
                QueryLog.Failed(logger, log.Backend, shown, elapsed, ex.Kind, ex.StatusCode);
            }

            throw;
        }
        catch (OperationCanceledException)
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var (shown, elapsed) = (Redaction.Text(query, secrets), Elapsed());
                QueryLog.Cancelled(logger, log.Backend, shown, elapsed);
            }

            throw;
        }
    }

    private static async Task<T> RunCoreAsync<T>(string query, TimeSpan timeout, string timeoutSetting, IReadOnlyList<string> secrets, Func<CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            timeoutSource.CancelAfter(timeout);
        }

        try
        {
            return await send(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (MetricQueryException ex) when (NeedsRedaction(ex, secrets))
        {
            // A parser or failure message quoting the body (which may echo the request's headers).
            throw Redacted(ex, secrets);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not MetricQueryException)
        {
            throw new OperationCanceledException($"The query was cancelled: {query}", Redaction.Inner(ex, secrets), cancellationToken);
        }
        catch (FlurlHttpTimeoutException ex)
        {
            throw TimedOut(query, timeout, timeoutSetting, Redaction.Inner(ex, secrets));
        }
        catch (Exception ex) when (timeoutSource.IsCancellationRequested && ex is OperationCanceledException or FlurlHttpException or IOException or HttpRequestException)
        {
            throw TimedOut(query, timeout, timeoutSetting, Redaction.Inner(ex, secrets));
        }
        catch (FlurlHttpException ex)
        {
            var inner = Redaction.Inner(ex, secrets);
            throw new MetricQueryException(query, MetricQueryErrorKind.Transport, $"the request failed: {Redaction.Text(inner?.Message ?? "no details", secrets)}", innerException: inner);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw new MetricQueryException(query, MetricQueryErrorKind.Transport, $"reading the response failed: {Redaction.Text(ex.Message, secrets)}", innerException: Redaction.Inner(ex, secrets));
        }
    }

    private static bool NeedsRedaction(MetricQueryException ex, IReadOnlyList<string> secrets)
    {
        var text = ex.ToString() + "\n" + string.Join("\n", ex.Warnings);
        return !string.Equals(Redaction.Text(text, secrets), text, StringComparison.Ordinal);
    }

    private static MetricQueryException Redacted(MetricQueryException ex, IReadOnlyList<string> secrets) =>
        new(
            ex.Query,
            ex.Kind,
            Redaction.Text(ex.BackendMessage, secrets),
            ex.StatusCode,
            ex.ErrorType is null ? null : Redaction.Text(ex.ErrorType, secrets),
            [.. ex.Warnings.Select(w => Redaction.Text(w, secrets))],
            Redaction.Inner(ex.InnerException, secrets))
        {
            RetryAfter = ex.RetryAfter,
        };

    private static MetricQueryException TimedOut(string query, TimeSpan timeout, string timeoutSetting, Exception? inner) =>
        new(query, MetricQueryErrorKind.Timeout, string.Create(CultureInfo.InvariantCulture, $"no complete answer within {timeout.TotalSeconds:0.###} s ({timeoutSetting})"), innerException: inner);
}
