using Canary.Analysis.Metrics.Scrape.Exposition;
using Flurl.Http;
using Canary.Analysis.Traffic;
using Canary.Analysis.Metrics.Scrape.Internal;
using Canary.Analysis.Metrics.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Analysis.Metrics.Scrape;

/// <summary>
/// Reads traffic straight from the <c>/metrics</c> endpoints of one or more targets, without a Prometheus server (a CI
/// job, a sidecar): call <see cref="ScrapeAsync"/> every interval (or run <see cref="RunAsync"/>), then
/// <see cref="ReadAsync"/> computes per-endpoint increases over the query's window from the recorded history.
/// </summary>
/// <remarks>
/// <para>Both Prometheus text format 0.0.4 and OpenMetrics 1.0 are read (chosen by the response's <c>Content-Type</c>).
/// Only the series of the convention (the request counter and, when it has one, the latency histogram's buckets and
/// sum) are kept, per target, timestamped with the injected <see cref="TimeProvider"/> at the start of each scrape, for
/// <see cref="ScrapeOptions.Retention"/>. Timestamps written in the exposition are ignored.</para>
/// <para>Increases: over the window (start, end], from each target's last successful scrape at or before the start (within
/// 5 minutes; else its first scrape in the window) to its last one at or before the end, each pair of consecutive
/// successful scrapes adds the growth of every series; a drop is a counter reset (the new value is added); a series that
/// appears while the target was already being scraped counts from 0; a series present in the boundary scrape counts from
/// that sample. Consecutive windows tile: every increment counts once, whatever the look times (the exact counter
/// differences of <see cref="TrafficCounting.CounterDifference"/>, whatever the query's <see cref="TrafficQuery.Counting"/>).
/// Prometheus' <c>increase()</c> instead extrapolates the first-to-last increase inside the window to its edges (and
/// never counts a new series from 0), so its results are close to, not equal to, these exact counts.</para>
/// <para>The query's selector is applied to each series' labels here (<c>=</c>, <c>!=</c>, <c>=~</c>, <c>!~</c>, fully
/// anchored .NET regular expressions; a missing label is the empty string), together with the target's labels
/// (<see cref="ScrapeTarget.Labels"/>, <c>instance</c> included).</para>
/// <para>Failures never throw from <see cref="ReadAsync"/>. Failed scrapes between two successful ones are spanned, with a
/// warning. A target with no successful scrape in the window, or whose last scrapes in the window failed, puts a
/// <see cref="DataGapKind.TargetUnreachable"/> gap in <see cref="TrafficSnapshot.Gaps"/> naming it (address without user
/// information or query); one with a single successful scrape (no increase known), or with a value that is not a valid
/// count (NaN, ±Inf, negative, beyond 2^53), a <see cref="DataGapKind.MissingData"/> gap: the other targets' traffic alone
/// is never evidence for the version. When no target has data the snapshot is empty. Parsing is linear in the body and
/// bounded by <see cref="ScrapeOptions.Timeout"/> and <see cref="ScrapeOptions.MaxResponseBytes"/>. Thread-safe.</para>
/// </remarks>
public sealed class ScrapeTrafficSource : ITrafficSource, IDisposable
{
    private const string AcceptOpenMetrics = "application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    private const string AcceptText = "text/plain;version=0.0.4;q=1.0,*/*;q=0.1";
    private const int MaxErrorChars = 200;

    private readonly IReadOnlyList<ScrapeTarget> _targets;
    private readonly TrafficConvention _convention;
    private readonly TimeProvider _timeProvider;
    private readonly CounterHistory _history;
    private readonly BackendClient _client;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly string? _bearerToken;
    private readonly TimeSpan _timeout;
    private readonly long _maxResponseBytes;
    private readonly string _accept;
    private readonly Dictionary<ScrapeTarget, string> _historyKeys = new(ReferenceEqualityComparer.Instance);
    private readonly string[] _secrets;
    private volatile bool _disposed;

    /// <summary>Creates a source over plain target addresses.</summary>
    /// <param name="targets">The metrics endpoints, e.g. <c>http://10.0.0.7:8080/metrics</c>.</param>
    /// <param name="convention">How the targets name their request metrics.</param>
    /// <param name="options">Scrape settings; copied. Null for the defaults.</param>
    /// <param name="timeProvider">The clock that timestamps scrapes; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="targets"/>, an item or <paramref name="convention"/> is null.</exception>
    /// <exception cref="ArgumentException">No targets, a duplicate or invalid target, an invalid convention or invalid options.</exception>
    public ScrapeTrafficSource(IEnumerable<Uri> targets, TrafficConvention convention, ScrapeOptions? options = null, TimeProvider? timeProvider = null)
        : this(ToTargets(targets), convention, options, timeProvider)
    {
    }

    /// <summary>Creates a source over targets with labels.</summary>
    /// <param name="targets">The targets.</param>
    /// <param name="convention">How the targets name their request metrics.</param>
    /// <param name="options">Scrape settings; copied. Null for the defaults.</param>
    /// <param name="timeProvider">The clock that timestamps scrapes; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="targets"/>, an item or <paramref name="convention"/> is null.</exception>
    /// <exception cref="ArgumentException">No targets, a duplicate target, an invalid convention or invalid options.</exception>
    public ScrapeTrafficSource(IEnumerable<ScrapeTarget> targets, TrafficConvention convention, ScrapeOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(convention);
        convention.Validate();
        options ??= new ScrapeOptions();
        options.Validate();
        var list = new List<ScrapeTarget>();
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            ArgumentNullException.ThrowIfNull(target, nameof(targets));
            if (!addresses.Add(target.Address.AbsoluteUri))
            {
                throw new ArgumentException($"Scrape target '{target}' is listed twice.", nameof(targets));
            }

            // The history (and so every warning) names a target by its address without the query string, which may hold a token.
            var key = target.DisplayName;
            for (var n = 2; !keys.Add(key); n++)
            {
                key = $"{target.DisplayName} (#{n})";
            }

            _historyKeys.Add(target, key);
            list.Add(target);
        }

        if (list.Count == 0)
        {
            throw new ArgumentException("At least one scrape target is needed.", nameof(targets));
        }

        _targets = list.AsReadOnly();
        _convention = convention;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _history = new CounterHistory(list.Select(target => (_historyKeys[target], _historyKeys[target])), convention, options.Retention);
        _timeout = options.Timeout;
        _maxResponseBytes = options.MaxResponseBytes;
        _bearerToken = options.BearerToken;
        _headers = [.. options.Headers];
        _secrets = Redaction.Secrets(options.Headers.Values.Append(options.BearerToken));
        _accept = options.PreferOpenMetrics ? AcceptOpenMetrics : AcceptText;
        _client = BackendClient.Create(options.HttpClient, baseAddress: null, options.MaxConnectionsPerServer);
    }

    /// <summary>Gets the targets.</summary>
    public IReadOnlyList<ScrapeTarget> Targets => _targets;

    /// <summary>Gets the convention the source reads with.</summary>
    public TrafficConvention Convention => _convention;

    /// <summary>Scrapes every target once, concurrently, and records the results (failures included; they never throw).</summary>
    /// <param name="cancellationToken">Cancels the scrape.</param>
    /// <returns>A task that completes when every target has answered, failed or timed out.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The source was disposed.</exception>
    public async Task ScrapeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var time = _timeProvider.GetUtcNow();
        await Task.WhenAll(_targets.Select(target => ScrapeTargetAsync(target, time, cancellationToken))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Scrapes every target now and then every <paramref name="interval"/> (on the injected clock) until cancelled.</summary>
    /// <param name="interval">The scrape interval, e.g. 15 seconds.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>A task that completes (without an exception) when the loop is stopped.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not positive.</exception>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken = default)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The scrape interval must be positive.");
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested && !_disposed)
            {
                await ScrapeAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(interval, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
        catch (ObjectDisposedException)
        {
            // Disposed while running.
        }
    }

    /// <summary>
    /// Gets where the source logs its requests: each answer (Debug, event id 2000) and each failure (Warning, 2001: its
    /// kind and HTTP status, never the backend's message), with the query, the backend and the time taken; configured secrets
    /// are redacted. Set it in the object initializer; <c>AddCanaryAnalysis</c> sets it from the host's logger factory.
    /// </summary>
    /// <value>The default value is <see cref="NullLogger.Instance"/>: nothing is logged.</value>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <inheritdoc />
    /// <remarks>Computed from the recorded scrapes only; this method sends no request.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="InvalidOperationException">Latency was asked for but the convention has no latency histogram.</exception>
    public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_history.Read(query));
    }

    /// <summary>Releases the connection pool the source owns; an injected <see cref="HttpClient"/> is left alone.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _client.Dispose();
    }

    private static List<ScrapeTarget> ToTargets(IEnumerable<Uri> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return [.. targets.Select(uri => new ScrapeTarget(uri ?? throw new ArgumentNullException(nameof(targets), "A target is null.")))];
    }

    private static string Shorten(string message) => message.Length <= MaxErrorChars ? message : message[..MaxErrorChars] + "…";

    private async Task ScrapeTargetAsync(ScrapeTarget target, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var key = _historyKeys[target];
        try
        {
            var document = await GuardedRequest.RunAsync(key, _timeout, "ScrapeOptions.Timeout", _secrets, token => FetchAsync(target, key, token), new QueryLogger(Logger, "Scrape"), cancellationToken).ConfigureAwait(false);
            _history.RecordSuccess(key, time, document, target.Labels);
        }
        catch (MetricQueryException ex)
        {
            _history.RecordFailure(key, time, Shorten(ex.BackendMessage ?? ex.Kind.ToString()));
        }
    }

    private async Task<ExpositionDocument> FetchAsync(ScrapeTarget target, string key, CancellationToken token)
    {
        var request = _client.Flurl.Request(target.Address).WithHeader("Accept", _accept);
        foreach (var header in _headers)
        {
            request.WithHeader(header.Key, header.Value);
        }

        if (_bearerToken is not null)
        {
            request.WithOAuthBearerToken(_bearerToken);
        }

        using var response = await request.GetAsync(HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        if (response.StatusCode is < 200 or >= 300)
        {
            throw new MetricQueryException(key, MetricQueryErrorKind.Backend, $"HTTP {response.StatusCode}", response.StatusCode);
        }

        var mediaType = response.ResponseMessage.Content.Headers.ContentType?.MediaType;
        var dialect = string.Equals(mediaType, "application/openmetrics-text", StringComparison.OrdinalIgnoreCase)
            ? ExpositionDialect.OpenMetrics
            : ExpositionDialect.PrometheusText;
        using var body = await ResponseBody.ReadAsync(
            response,
            _maxResponseBytes,
            what => new MetricQueryException(key, MetricQueryErrorKind.ResponseTooLarge, $"{what} exceeds ScrapeOptions.MaxResponseBytes ({_maxResponseBytes} bytes)", response.StatusCode),
            token).ConfigureAwait(false);
        try
        {
            return ExpositionParser.Parse(body.Span, dialect, _maxResponseBytes, token);
        }
        catch (ExpositionParseException ex)
        {
            throw new MetricQueryException(key, MetricQueryErrorKind.InvalidResponse, ex.Message, response.StatusCode, innerException: ex);
        }
    }
}
