using Canary.Analysis.Metrics.Internal;
using System.Globalization;
using System.Text.Json;
using Canary.Analysis.Metrics.Datadog.Internal;
using Flurl.Http;
using Flurl.Http.Content;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Analysis.Metrics.Datadog;

/// <summary>
/// Queries Datadog metrics: v1 <c>GET /api/v1/query</c>, and v2 <c>POST /api/v2/query/scalar</c> and
/// <c>/api/v2/query/timeseries</c> (formulas and functions).
/// </summary>
/// <remarks>
/// <para><b>Instant semantics.</b> <see cref="QueryAsync"/> runs a v2 scalar query over
/// [time − <see cref="DatadogOptions.InstantWindow"/>, time] reduced with <see cref="DatadogOptions.InstantAggregator"/>,
/// and returns a <see cref="MetricResultType.Vector"/>: one series per group (labels = the <c>by {…}</c> tags), stamped
/// <c>time</c>. Datadog has no true instant evaluation; use <see cref="QueryScalarAsync(string, DateTimeOffset, DateTimeOffset, DatadogAggregator, CancellationToken)"/>
/// to choose the range and the aggregator per call. <see cref="QueryRangeAsync"/> is a v2 timeseries query with
/// <c>interval</c> = step, and <see cref="QueryV1Async"/> the v1 query (series with <c>pointlist</c>; labels from
/// <c>tag_set</c> or <c>scope</c>, <c>__name__</c> = <c>metric</c>). Null points ("no data") are left out, and an empty
/// answer is an empty result, not an error.</para>
/// <para><b>Errors.</b> Every failure is a <see cref="MetricQueryException"/> naming the query: Datadog's
/// <c>{"errors":[…]}</c> (or a v2 body's <c>errors</c> string) is <see cref="MetricQueryErrorKind.Backend"/> with those
/// messages; 401/403 <see cref="MetricQueryErrorKind.Unauthorized"/>; 408/504 and <see cref="DatadogOptions.Timeout"/>
/// <see cref="MetricQueryErrorKind.Timeout"/>; 502/503 and network failures <see cref="MetricQueryErrorKind.Transport"/>;
/// unreadable bodies <see cref="MetricQueryErrorKind.InvalidResponse"/>; bodies over
/// <see cref="DatadogOptions.MaxResponseBytes"/> <see cref="MetricQueryErrorKind.ResponseTooLarge"/>. Keys never appear.</para>
/// <para><b>Rate limits.</b> On 429 the provider reads <c>X-RateLimit-Reset</c> (seconds until the window resets; else
/// <c>X-RateLimit-Period</c>). When that is at most <see cref="DatadogOptions.MaxRateLimitWait"/>, it waits that long on
/// the injected <see cref="TimeProvider"/> and retries <b>once</b>; otherwise, or when the retry is limited again, it
/// throws <see cref="MetricQueryErrorKind.RateLimited"/> with <see cref="MetricQueryException.RetryAfter"/> set.</para>
/// <para>The provider is thread-safe; create one per site and key pair and reuse it.</para>
/// </remarks>
public sealed class DatadogMetricProvider : IMetricProvider, IDatadogScalarQuery, IDisposable
{
    private readonly BackendClient _client;
    private readonly string _apiKey;
    private readonly string _applicationKey;
    private readonly TimeSpan _timeout;
    private readonly long _maxResponseBytes;
    private readonly TimeSpan _instantWindow;
    private readonly DatadogAggregator _instantAggregator;
    private readonly TimeSpan _maxRateLimitWait;
    private readonly TimeProvider _timeProvider;
    private readonly string[] _secrets;
    private volatile bool _disposed;

    /// <summary>Creates a provider that owns its HTTP connection pool.</summary>
    /// <param name="options">The site, keys and limits; copied.</param>
    /// <param name="timeProvider">The clock rate-limit waits run on; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names the field and its value (never a key).</exception>
    public DatadogMetricProvider(DatadogOptions options, TimeProvider? timeProvider = null)
        : this(options, null, timeProvider)
    {
    }

    /// <summary>Creates a provider over an injected <see cref="HttpClient"/>, which it does not dispose.</summary>
    /// <param name="httpClient">The client (for example from <c>IHttpClientFactory</c>).</param>
    /// <param name="options">The site, keys and limits; copied.</param>
    /// <param name="timeProvider">The clock rate-limit waits run on; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names the field and its value (never a key).</exception>
    public DatadogMetricProvider(HttpClient httpClient, DatadogOptions options, TimeProvider? timeProvider = null)
        : this(options, httpClient ?? throw new ArgumentNullException(nameof(httpClient)), timeProvider)
    {
    }

    private DatadogMetricProvider(DatadogOptions options, HttpClient? injected, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = DatadogOptionsRules.Validate(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        var address = DatadogOptionsRules.BaseAddress(options).AbsoluteUri;
        _client = BackendClient.Create(injected, address, options.MaxConnectionsPerServer);
        _apiKey = options.ApiKey!;
        _applicationKey = options.ApplicationKey!;
        _timeout = options.Timeout;
        _maxResponseBytes = options.MaxResponseBytes;
        _instantWindow = options.InstantWindow;
        _instantAggregator = options.InstantAggregator;
        _maxRateLimitWait = options.MaxRateLimitWait;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _secrets = Redaction.Secrets([_apiKey, _applicationKey]);
    }

    /// <summary>
    /// Gets where the provider logs its requests: each answer (Debug, event id 2000) and each failure (Warning, 2001: its
    /// kind and HTTP status, never the backend's message), with the query, the backend and the time taken; configured secrets
    /// are redacted. Set it in the object initializer; <c>AddCanaryAnalysis</c> sets it from the host's logger factory.
    /// </summary>
    /// <value>The default value is <see cref="NullLogger.Instance"/>: nothing is logged.</value>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <inheritdoc />
    /// <remarks>A v2 scalar query over [time − <see cref="DatadogOptions.InstantWindow"/>, time] with <see cref="DatadogOptions.InstantAggregator"/>.</remarks>
    /// <exception cref="ArgumentException"><paramref name="query"/> is null, empty or white space.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The provider was disposed.</exception>
    public Task<MetricQueryResult> QueryAsync(string query, DateTimeOffset time, CancellationToken cancellationToken = default) =>
        QueryScalarAsync(query, time - _instantWindow, time, _instantAggregator, cancellationToken);

    /// <summary>Runs a v2 scalar query: each group's series over [from, to] reduced to one number by <paramref name="aggregator"/>.</summary>
    /// <param name="query">A metrics query, e.g. <c>sum:trace.http.request.hits{service:web} by {resource_name}.as_count()</c>.</param>
    /// <param name="from">The start of the range.</param>
    /// <param name="to">The end of the range; the samples are stamped with it.</param>
    /// <param name="aggregator">How the range is reduced.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A <see cref="MetricResultType.Vector"/>, one series per group; groups without data are left out.</returns>
    /// <exception cref="ArgumentException"><paramref name="query"/> is empty, <paramref name="to"/> is not after <paramref name="from"/>, or the aggregator is unknown.</exception>
    /// <exception cref="MetricQueryException">Datadog rejected the query or could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The provider was disposed.</exception>
    public Task<MetricQueryResult> QueryScalarAsync(string query, DateTimeOffset from, DateTimeOffset to, DatadogAggregator aggregator, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        CheckRange(from, to);
        if (!Enum.IsDefined(aggregator))
        {
            throw new ArgumentException($"The aggregator '{aggregator}' is not a known Datadog aggregator.", nameof(aggregator));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        var body = Body("scalar_request", from, to, null, query, AggregatorName(aggregator));
        return SendAsync(query, request => request.AppendPathSegments("api", "v2", "query", "scalar"), body, (bytes, status) => DatadogResponseParser.ParseScalar(bytes, query, status, to), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A v2 timeseries query with <c>interval</c> = <paramref name="step"/> (Datadog may widen it for long ranges).</remarks>
    /// <exception cref="ArgumentException"><paramref name="query"/> is empty, or <paramref name="end"/> is not after <paramref name="start"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is shorter than one millisecond.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The provider was disposed.</exception>
    public Task<MetricQueryResult> QueryRangeAsync(string query, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        CheckRange(start, end);
        if (step < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"The step must be at least 1 ms; it was {step}.");
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        var body = Body("timeseries_request", start, end, (long)step.TotalMilliseconds, query, aggregator: null);
        return SendAsync(query, request => request.AppendPathSegments("api", "v2", "query", "timeseries"), body, (bytes, status) => DatadogResponseParser.ParseTimeseries(bytes, query, status), cancellationToken);
    }

    /// <summary>Runs a v1 query (<c>GET /api/v1/query?from&amp;to&amp;query</c>, times in whole seconds).</summary>
    /// <param name="query">The metrics query.</param>
    /// <param name="from">The start of the range.</param>
    /// <param name="to">The end of the range.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A <see cref="MetricResultType.Matrix"/>: one series per returned series, labels from <c>tag_set</c>/<c>scope</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="query"/> is empty, or <paramref name="to"/> is not after <paramref name="from"/>.</exception>
    /// <exception cref="MetricQueryException">Datadog rejected the query or could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The provider was disposed.</exception>
    public Task<MetricQueryResult> QueryV1Async(string query, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        CheckRange(from, to);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return SendAsync(
            query,
            request => request.AppendPathSegments("api", "v1", "query")
                .SetQueryParam("from", from.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
                .SetQueryParam("to", to.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
                .SetQueryParam("query", query),
            null,
            (bytes, status) => DatadogResponseParser.ParseV1(bytes, query, status),
            cancellationToken);
    }

    /// <summary>Releases the connection pool when the provider created it; an injected <see cref="HttpClient"/> is left alone.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _client.Dispose();
    }

    internal static string AggregatorName(DatadogAggregator aggregator) => aggregator switch
    {
        DatadogAggregator.Avg => "avg",
        DatadogAggregator.Sum => "sum",
        DatadogAggregator.Min => "min",
        DatadogAggregator.Max => "max",
        DatadogAggregator.Last => "last",
        DatadogAggregator.Mean => "mean",
        DatadogAggregator.Area => "area",
        _ => "l2norm",
    };

    private static void CheckRange(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            throw new ArgumentException($"The end ({to:O}) must be after the start ({from:O}).", nameof(to));
        }
    }

    // Written with Utf8JsonWriter, not JsonSerializer over dictionaries: that needs reflection, which trimming and Native AOT remove.
    private static string Body(string type, DateTimeOffset from, DateTimeOffset to, long? interval, string query, string? aggregator)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("data");
            writer.WriteString("type", type);
            writer.WriteStartObject("attributes");
            writer.WriteNumber("from", from.ToUnixTimeMilliseconds());
            writer.WriteNumber("to", to.ToUnixTimeMilliseconds());
            writer.WriteStartArray("queries");
            writer.WriteStartObject();
            writer.WriteString("data_source", "metrics");
            writer.WriteString("name", "a");
            writer.WriteString("query", query);
            if (aggregator is not null)
            {
                writer.WriteString("aggregator", aggregator);
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteStartArray("formulas");
            writer.WriteStartObject();
            writer.WriteString("formula", "a");
            writer.WriteEndObject();
            writer.WriteEndArray();
            if (interval is { } ms)
            {
                writer.WriteNumber("interval", ms);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private async Task<MetricQueryResult> SendAsync(
        string query,
        Func<IFlurlRequest, IFlurlRequest> build,
        string? body,
        Func<ReadOnlyMemory<byte>, int, MetricQueryResult> parse,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (result, retryAfter) = await SendOnceAsync(query, build, body, parse, cancellationToken).ConfigureAwait(false);
            if (result is not null)
            {
                return result;
            }

            // Rate limited and allowed to wait once.
            if (attempt > 0 || retryAfter is not { } wait || wait > _maxRateLimitWait || _maxRateLimitWait == TimeSpan.Zero)
            {
                throw RateLimited(query, retryAfter, attempt > 0);
            }

            await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(MetricQueryResult? Result, TimeSpan? RetryAfter)> SendOnceAsync(
        string query,
        Func<IFlurlRequest, IFlurlRequest> build,
        string? body,
        Func<ReadOnlyMemory<byte>, int, MetricQueryResult> parse,
        CancellationToken cancellationToken)
    {
        return await GuardedRequest.RunAsync<(MetricQueryResult? Result, TimeSpan? RetryAfter)>(query, _timeout, "DatadogOptions.Timeout", _secrets, async token =>
        {
            var request = build(_client.Flurl.Request())
                .WithHeader("DD-API-KEY", _apiKey)
                .WithHeader("DD-APPLICATION-KEY", _applicationKey)
                .WithHeader("Accept", "application/json");
            IFlurlResponse response;
            if (body is null)
            {
                response = await request.GetAsync(HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            }
            else
            {
                response = await request.PostAsync(new CapturedJsonContent(body), HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            }

            using (response)
            {
                if (response.StatusCode == 429)
                {
                    return (null, ReadRetryAfter(response));
                }

                return (await ReadResponseAsync(response, query, parse, token).ConfigureAwait(false), null);
            }
        }, new QueryLogger(Logger, "Datadog"), cancellationToken).ConfigureAwait(false);
    }

    private TimeSpan? ReadRetryAfter(IFlurlResponse response)
    {
        foreach (var name in new[] { "X-RateLimit-Reset", "X-RateLimit-Period" })
        {
            if (response.Headers.TryGetFirst(name, out var text)
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                && double.IsFinite(seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds)
            {
                return TimeSpan.FromSeconds(seconds);
            }
        }

        return RetryAfterHeader.Read(response.ResponseMessage.Headers, _timeProvider);
    }

    private MetricQueryException RateLimited(string query, TimeSpan? retryAfter, bool retried)
    {
        var reset = retryAfter is { } r ? string.Create(CultureInfo.InvariantCulture, $"the limit resets in {r.TotalSeconds:0.###} s") : "no X-RateLimit-Reset header";
        var why = retried
            ? "limited again after one retry"
            : retryAfter > _maxRateLimitWait || _maxRateLimitWait == TimeSpan.Zero
                ? string.Create(CultureInfo.InvariantCulture, $"longer than DatadogOptions.MaxRateLimitWait ({_maxRateLimitWait.TotalSeconds:0.###} s), not retried")
                : "not retried";
        return new MetricQueryException(query, MetricQueryErrorKind.RateLimited, $"Datadog rate limit (HTTP 429): {reset}; {why}", 429) { RetryAfter = retryAfter };
    }

    private async Task<MetricQueryResult> ReadResponseAsync(IFlurlResponse response, string query, Func<ReadOnlyMemory<byte>, int, MetricQueryResult> parse, CancellationToken token)
    {
        var status = response.StatusCode;
        using var body = await ResponseBody.ReadAsync(response, _maxResponseBytes, what => TooLarge(query, status, what), token).ConfigureAwait(false);
        return status is >= 200 and < 300 ? parse(body.Span.ToArray(), status) : throw Failure(query, status, body);
    }

    private MetricQueryException TooLarge(string query, int status, string what) =>
        new(query, MetricQueryErrorKind.ResponseTooLarge, $"{what} exceeds DatadogOptions.MaxResponseBytes ({_maxResponseBytes} bytes); narrow the query or raise the limit", status);

    private MetricQueryException Failure(string query, int status, PooledBody body)
    {
        // Error bodies may echo the request's key headers: redact before they become text.
        var errors = body.Truncated ? null : DatadogResponseParser.TryReadErrors(body.Span);
        var detail = Redaction.Text(errors ?? $"HTTP {status}; body starts: {DatadogResponseParser.Snippet(body.Span)}", _secrets);
        return status switch
        {
            401 or 403 => new MetricQueryException(query, MetricQueryErrorKind.Unauthorized, detail, status),
            408 or 504 => new MetricQueryException(query, MetricQueryErrorKind.Timeout, detail, status),
            502 or 503 when errors is null => new MetricQueryException(query, MetricQueryErrorKind.Transport, detail, status),
            _ => new MetricQueryException(query, MetricQueryErrorKind.Backend, detail, status),
        };
    }
}
