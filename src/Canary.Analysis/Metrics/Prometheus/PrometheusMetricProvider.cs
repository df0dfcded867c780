using Canary.Analysis.Metrics.Internal;
using System.Net;
using Canary.Analysis.Metrics.Prometheus.Internal;
using Flurl.Http;
using Flurl.Http.Content;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Analysis.Metrics.Prometheus;

/// <summary>
/// Queries the Prometheus HTTP API (<c>/api/v1/query</c>, <c>/api/v1/query_range</c>) of Prometheus or a compatible
/// server (Thanos, Mimir, Cortex, VictoriaMetrics), and parses the responses streaming.
/// </summary>
/// <remarks>
/// <para>Every failure is a <see cref="MetricQueryException"/> whose message names the query:
/// a Prometheus error body (<c>"status":"error"</c>) is <see cref="MetricQueryErrorKind.Backend"/> with its
/// <c>errorType</c>; 401/403 is <see cref="MetricQueryErrorKind.Unauthorized"/>; 429 is
/// <see cref="MetricQueryErrorKind.RateLimited"/> with <see cref="MetricQueryException.RetryAfter"/> from its <c>Retry-After</c>
/// header (delta seconds or an HTTP-date), and until that time (at most 5 minutes later) the
/// provider sends nothing to the server: every query fails at once with the same kind and the remaining
/// <see cref="MetricQueryException.RetryAfter"/>; 408/504 and the per-request <see cref="PrometheusOptions.Timeout"/>
/// are <see cref="MetricQueryErrorKind.Timeout"/>; network failures and 502/503 answers that are not Prometheus errors
/// (a proxy without a healthy upstream) are <see cref="MetricQueryErrorKind.Transport"/>; other non-Prometheus error
/// answers are <see cref="MetricQueryErrorKind.Backend"/>; unreadable bodies are
/// <see cref="MetricQueryErrorKind.InvalidResponse"/>; bodies over <see cref="PrometheusOptions.MaxResponseBytes"/> are
/// <see cref="MetricQueryErrorKind.ResponseTooLarge"/>. Only the caller's own token produces an
/// <see cref="OperationCanceledException"/>.</para>
/// <para>Secrets never reach a message: the configured token, password and header values, URL credentials and query
/// strings, and credential lines a server echoes back are redacted from every exception, inner exceptions included.</para>
/// <para>The provider is thread-safe; create one per Prometheus server and reuse it. It opens at most
/// <see cref="PrometheusOptions.MaxConnectionsPerServer"/> connections when it owns its handler.</para>
/// </remarks>
public sealed class PrometheusMetricProvider : IMetricProvider, IDisposable
{
    private const string TenantHeader = "X-Scope-OrgID";

    /// <summary>The longest a 429's <c>Retry-After</c> keeps the provider from sending, so a wrong header cannot silence it.</summary>
    internal static readonly TimeSpan MaximumRateLimitBackoff = TimeSpan.FromMinutes(5);

    private readonly BackendClient client;
    private readonly KeyValuePair<string, string>[] headers;
    private readonly string? bearerToken;
    private readonly string? username;
    private readonly string? password;
    private readonly TimeSpan timeout;
    private readonly long maxResponseBytes;
    private readonly TimeProvider timeProvider;
    private readonly string[] secrets;
    private volatile bool useGet;
    private long rateLimitedUntilTicks; // UTC ticks of the time a 429 asked us to wait for; 0 when none.
    private volatile bool disposed;

    /// <summary>Creates a provider that owns its HTTP connection pool.</summary>
    /// <param name="options">Where and how to reach Prometheus; copied, so later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names the field and its value.</exception>
    public PrometheusMetricProvider(PrometheusOptions options)
        : this(options, injected: null, timeProvider: null)
    {
    }

    /// <summary>Creates a provider that owns its HTTP connection pool, with the clock that dates <c>Retry-After</c> answers.</summary>
    /// <param name="options">Where and how to reach Prometheus; copied, so later changes have no effect.</param>
    /// <param name="timeProvider">The clock an HTTP-date <c>Retry-After</c> is measured against; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names the field and its value.</exception>
    public PrometheusMetricProvider(PrometheusOptions options, TimeProvider? timeProvider)
        : this(options, injected: null, timeProvider)
    {
    }

    /// <summary>
    /// Creates a provider over an injected <see cref="HttpClient"/> (for example a typed client from
    /// <c>IHttpClientFactory</c>). The client is not disposed by the provider. When
    /// <see cref="PrometheusOptions.Address"/> is null, the client's <see cref="HttpClient.BaseAddress"/> is used.
    /// </summary>
    /// <param name="httpClient">
    /// The client. When it has not sent a request yet, its <see cref="HttpClient.Timeout"/> is set to infinite (Flurl does so) and
    /// the provider applies <see cref="PrometheusOptions.Timeout"/> itself; a client already in use is called through
    /// unchanged, so its own timeout also applies.
    /// </param>
    /// <param name="options">Where and how to reach Prometheus; copied, so later changes have no effect.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names the field and its value.</exception>
    public PrometheusMetricProvider(HttpClient httpClient, PrometheusOptions options)
        : this(options, httpClient ?? throw new ArgumentNullException(nameof(httpClient)), timeProvider: null)
    {
    }

    /// <summary>Creates a provider over an injected <see cref="HttpClient"/>, with the clock that dates <c>Retry-After</c> answers.</summary>
    /// <param name="httpClient">The client, as for <see cref="PrometheusMetricProvider(HttpClient, PrometheusOptions)"/>; not disposed by the provider.</param>
    /// <param name="options">Where and how to reach Prometheus; copied, so later changes have no effect.</param>
    /// <param name="timeProvider">The clock an HTTP-date <c>Retry-After</c> is measured against; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names the field and its value.</exception>
    public PrometheusMetricProvider(HttpClient httpClient, PrometheusOptions options, TimeProvider? timeProvider)
        : this(options, httpClient ?? throw new ArgumentNullException(nameof(httpClient)), timeProvider)
    {
    }

    private PrometheusMetricProvider(PrometheusOptions options, HttpClient? injected, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = PrometheusOptionsRules.Validate(options, injected?.BaseAddress);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        var address = (options.Address ?? injected!.BaseAddress!).AbsoluteUri;
        client = BackendClient.Create(injected, address, options.MaxConnectionsPerServer);
        bearerToken = options.BearerToken;
        username = options.Username;
        password = options.Password;
        timeout = options.Timeout;
        maxResponseBytes = options.MaxResponseBytes;
        useGet = !options.UsePost;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        secrets = Redaction.Secrets(options.Headers.Values.Append(options.BearerToken).Concat(Redaction.BasicAuthForms(options.Username, options.Password)));
        var list = new List<KeyValuePair<string, string>>(options.Headers.Count + 1);
        list.AddRange(options.Headers);
        if (options.TenantId is { } tenant)
        {
            list.Add(new(TenantHeader, tenant));
        }

        headers = [.. list];
    }

    /// <summary>
    /// Gets where the provider logs its requests: each answer (Debug, event id 2000) and each failure (Warning, 2001: its
    /// kind and HTTP status, never the backend's message), with the query, the backend and the time taken; configured secrets
    /// are redacted. Set it in the object initializer; <c>AddCanaryAnalysis</c> sets it from the host's logger factory.
    /// </summary>
    /// <value>The default value is <see cref="NullLogger.Instance"/>: nothing is logged.</value>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="query"/> is null, empty or white space.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The provider was disposed.</exception>
    public Task<MetricQueryResult> QueryAsync(string query, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ObjectDisposedException.ThrowIf(disposed, this);
        var parameters = new Dictionary<string, string>(2, StringComparer.Ordinal)
        {
            ["query"] = query,
            ["time"] = PrometheusFormat.Time(time),
        };
        return SendAsync("query", query, parameters, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="query"/> is empty, or <paramref name="end"/> is before <paramref name="start"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is zero or negative.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The provider was disposed.</exception>
    public Task<MetricQueryResult> QueryRangeAsync(
        string query,
        DateTimeOffset start,
        DateTimeOffset end,
        TimeSpan step,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        if (step <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"The step must be positive; it was {step}.");
        }

        if (end < start)
        {
            throw new ArgumentException($"The end ({end:O}) must not be before the start ({start:O}).", nameof(end));
        }

        ObjectDisposedException.ThrowIf(disposed, this);
        var parameters = new Dictionary<string, string>(4, StringComparer.Ordinal)
        {
            ["query"] = query,
            ["start"] = PrometheusFormat.Time(start),
            ["end"] = PrometheusFormat.Time(end),
            ["step"] = PrometheusFormat.Step(step),
        };
        return SendAsync("query_range", query, parameters, cancellationToken);
    }

    /// <summary>Releases the connection pool when the provider created it; an injected <see cref="HttpClient"/> is left alone.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        client.Dispose();
    }

    private static bool IsSuccess(int status) => status is >= 200 and < 300;

    private async Task<MetricQueryResult> SendAsync(
        string endpoint,
        string query,
        Dictionary<string, string> parameters,
        CancellationToken cancellationToken)
    {
        // Honour the last 429's Retry-After: nothing is sent before the time the server asked for.
        var until = Interlocked.Read(ref rateLimitedUntilTicks);
        var now = timeProvider.GetUtcNow().UtcTicks;
        if (now < until)
        {
            var wait = TimeSpan.FromTicks(until - now);
            throw new MetricQueryException(
                query,
                MetricQueryErrorKind.RateLimited,
                FormattableString.Invariant($"not sent: the server answered 429 and asked to wait until {new DateTimeOffset(until, TimeSpan.Zero):O} (Retry-After), {wait.TotalSeconds:0.###} s from now"))
            { RetryAfter = wait };
        }

        return await GuardedRequest.RunAsync(query, timeout, "PrometheusOptions.Timeout", secrets, async token =>
        {
            IFlurlResponse response;
            if (useGet)
            {
                response = await SendOnceAsync(endpoint, parameters, post: false, token).ConfigureAwait(false);
            }
            else
            {
                response = await SendOnceAsync(endpoint, parameters, post: true, token).ConfigureAwait(false);
                if (response.StatusCode is 405 or 501)
                {
                    // The server (or a proxy in front of it) does not take POST: use GET from now on.
                    useGet = true;
                    response.Dispose();
                    response = await SendOnceAsync(endpoint, parameters, post: false, token).ConfigureAwait(false);
                }
            }

            using (response)
            {
                return await ReadResponseAsync(response, query, token).ConfigureAwait(false);
            }
        }, new QueryLogger(Logger, "Prometheus"), cancellationToken).ConfigureAwait(false);
    }

    private Task<IFlurlResponse> SendOnceAsync(string endpoint, Dictionary<string, string> parameters, bool post, CancellationToken token)
    {
        var request = client.Flurl.Request("api", "v1", endpoint);
        foreach (var header in headers)
        {
            request.WithHeader(header.Key, header.Value);
        }

        if (bearerToken is not null)
        {
            request.WithOAuthBearerToken(bearerToken);
        }
        else if (username is not null)
        {
            request.WithBasicAuth(username, password ?? string.Empty);
        }

        if (post)
        {
            // Not PostUrlEncodedAsync: it reads the object's properties by reflection, which trimming removes (an empty body under Native AOT).
            return request.PostAsync(new CapturedUrlEncodedContent(FormBody(parameters)), HttpCompletionOption.ResponseHeadersRead, token);
        }

        foreach (var parameter in parameters)
        {
            request.SetQueryParam(parameter.Key, parameter.Value);
        }

        return request.GetAsync(HttpCompletionOption.ResponseHeadersRead, token);
    }

    /// <summary>Encodes form fields as <c>application/x-www-form-urlencoded</c> (RFC 3986 escaping, which Prometheus decodes).</summary>
    internal static string FormBody(Dictionary<string, string> parameters) =>
        string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    private async Task<MetricQueryResult> ReadResponseAsync(IFlurlResponse response, string query, CancellationToken token)
    {
        var status = response.StatusCode;
        using var body = await ResponseBody.ReadAsync(response, maxResponseBytes, what => TooLarge(query, status, what), token).ConfigureAwait(false);
        if (IsSuccess(status))
        {
            return PrometheusResponseParser.Parse(body.Span, query, status);
        }

        var retryAfter = status is 429 or 503 ? RetryAfterHeader.Read(response.ResponseMessage.Headers, timeProvider) : null;
        if (status == 429 && retryAfter > TimeSpan.Zero)
        {
            var wait = retryAfter.Value < MaximumRateLimitBackoff ? retryAfter.Value : MaximumRateLimitBackoff;
            Interlocked.Exchange(ref rateLimitedUntilTicks, timeProvider.GetUtcNow().UtcTicks + wait.Ticks);
        }

        throw Failure(query, status, body, retryAfter);
    }

    private MetricQueryException TooLarge(string query, int status, string what) =>
        new(query, MetricQueryErrorKind.ResponseTooLarge, $"{what} exceeds PrometheusOptions.MaxResponseBytes ({maxResponseBytes} bytes); narrow the query or raise the limit", status);

    private MetricQueryException Failure(string query, int status, PooledBody body, TimeSpan? retryAfter)
    {
        // Error bodies may echo the request (a proxy's 401 repeating "Authorization: Bearer …"): redact before they become text.
        var error = body.Truncated ? null : PrometheusResponseParser.TryReadError(body.Span);
        var detail = Redaction.Text(
            error is { } e
                ? e.Error ?? "no error message"
                : $"HTTP {status} {ReasonPhrase(status)}; body starts: {PrometheusResponseParser.Snippet(body.Span)}",
            secrets);
        var errorType = error?.ErrorType is { } type ? Redaction.Text(type, secrets) : null;
        IReadOnlyList<string>? warnings = error?.Warnings is { } list ? [.. list.Select(w => Redaction.Text(w, secrets))] : null;
        return status switch
        {
            401 or 403 => new MetricQueryException(query, MetricQueryErrorKind.Unauthorized, detail, status, errorType, warnings),
            429 => new MetricQueryException(query, MetricQueryErrorKind.RateLimited, detail, status, errorType, warnings) { RetryAfter = retryAfter },
            _ when error is not null => new MetricQueryException(query, MetricQueryErrorKind.Backend, detail, status, errorType, warnings),
            408 or 504 => new MetricQueryException(query, MetricQueryErrorKind.Timeout, detail, status),
            502 or 503 => new MetricQueryException(query, MetricQueryErrorKind.Transport, detail, status) { RetryAfter = retryAfter },
            _ => new MetricQueryException(query, MetricQueryErrorKind.Backend, detail, status),
        };
    }

    private static string ReasonPhrase(int status) =>
        Enum.IsDefined(typeof(HttpStatusCode), status) ? ((HttpStatusCode)status).ToString() : string.Empty;
}
