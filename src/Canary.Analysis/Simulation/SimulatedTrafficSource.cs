using System.Globalization;
using Canary.Analysis.Metrics;
using Canary.Analysis.Simulation.Internal;
using Canary.Analysis.Traffic;
using Canary.Analysis.Traffic.Internal;

namespace Canary.Analysis.Simulation;

/// <summary>
/// A seeded synthetic <see cref="ITrafficSource"/> for a baseline and a canary: a daily profile, per-endpoint rates,
/// error rates and log-normal latencies, a canary weight and faults, generated per scrape interval.
/// </summary>
/// <remarks>
/// <para><b>Label contract.</b> A query's selector must contain exactly one matcher on the <c>version</c> label,
/// <c>version="canary"</c> or <c>version="baseline"</c> (see <see cref="CanarySelector"/> and
/// <see cref="BaselineSelector"/>); other matchers are accepted and ignored (the simulated service is the whole
/// selection). Any other selector fails with <see cref="MetricQueryException"/>, never an empty snapshot.</para>
/// <para><b>Counts.</b> Time is cut into buckets of <see cref="SimulatedTrafficModel.ScrapeInterval"/> from
/// <see cref="SimulatedTrafficModel.Start"/>. For each bucket, endpoint and version the request count is
/// Poisson(rate × profile(bucket middle) × version share × interval) and the failures (5xx) are
/// Binomial(requests, error rate), or whole clusters with <see cref="SimulatedTrafficModel.ErrorBurstSize"/>; the rest are 2xx. Counts are sampled directly, never per request: exactly
/// (Knuth's product method, binomial inversion) when the mean is below 30, and from the normal approximation
/// (rounded, clamped) above it, where it is accurate to well under one request's worth of probability.
/// Latency buckets are an exact multinomial (sequential binomials) over the histogram's bins, and
/// <c>_sum</c> adds each bin's count times the log-normal's mean within the bin.</para>
/// <para><b>Determinism.</b> Each bucket's data comes from its own random stream derived from the seed and the
/// bucket's index (latency from a second stream), so the same seed gives the same data whatever the order, number
/// and windows of the queries. Counters are cumulative from the start, and a window <c>(end − window, end]</c>
/// holds the buckets completed by <c>end</c> and not by <c>end − window</c> — overlapping windows see the same
/// buckets, as with Prometheus' <c>increase()</c> on 15 s scrapes (without its extrapolation). Before
/// <see cref="SimulatedTrafficModel.Start"/> there is no traffic; an endpoint appears in snapshots once its version
/// has served it at least once (as a Prometheus series appears after its first request).</para>
/// <para><b>Cost.</b> Buckets are generated lazily, in order, up to the latest time asked, and kept as cumulative
/// sums, so a query costs O(endpoints × latency bins) whatever its window. Queries later than
/// <see cref="MaximumDuration"/> after the start fail.</para>
/// </remarks>
public sealed class SimulatedTrafficSource : ITrafficSource
{
    /// <summary>The label that selects a version.</summary>
    public const string VersionLabel = "version";

    /// <summary>The <see cref="VersionLabel"/> value of the canary.</summary>
    public const string CanaryVersion = "canary";

    /// <summary>The <see cref="VersionLabel"/> value of the baseline.</summary>
    public const string BaselineVersion = "baseline";

    private const ulong CountSalt = 0x5EED_C0DE_0000_0001UL;
    private const ulong LatencySalt = 0x5EED_C0DE_0000_0002UL;
    private const ulong HistorySalt = 0x5EED_C0DE_0000_0003UL;

    private readonly object _gate = new();
    private readonly DateTimeOffset _start;
    private readonly long _intervalTicks;
    private readonly SimulatedEndpoint[] _endpoints;
    private readonly SimulatedFault[] _faults;
    private readonly TrafficProfile _profile;
    private readonly bool _prometheusIncrease;
    private readonly bool _countersInitialized;
    private readonly int _burstSize;
    private readonly double[] _bounds;
    private readonly int _bins;
    private readonly List<(long FromBucket, double Weight)> _weights = [];
    private readonly Dictionary<(double Median, double Spread), LatencyBins> _latencyBins = [];
    private readonly long[][] _requests = new long[2][];
    private readonly long[][] _failures = new long[2][];
    private readonly long[][] _latency = new long[2][];
    private readonly double[][] _latencySum = new double[2][];
    private readonly long _historyBuckets;
    private readonly double _historyErrorFactor;
    private long[]? _historyRequests;
    private long[]? _historyFailures;
    private long _generated;
    private long _latencyGenerated;

    /// <summary>Creates a source.</summary>
    /// <param name="model">The service to simulate (validated and copied now: later changes to it have no effect).</param>
    /// <param name="seed">The seed: the same model and seed always give the same traffic.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException">The model is invalid; the message names the setting.</exception>
    public SimulatedTrafficSource(SimulatedTrafficModel model, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        _start = model.Start;
        _intervalTicks = model.ScrapeInterval.Ticks;
        _endpoints = model.Endpoints.Select(e => new SimulatedEndpoint
        {
            Name = e.Name,
            RequestsPerSecond = e.RequestsPerSecond,
            ErrorRate = e.ErrorRate,
            LatencyMedianSeconds = e.LatencyMedianSeconds,
            LatencySpread = e.LatencySpread,
        }).ToArray();
        _faults = (model.Faults ?? []).Select(f => new SimulatedFault { Endpoint = f.Endpoint, After = f.After, Duration = f.Duration, Shared = f.Shared, ErrorRate = f.ErrorRate, LatencyFactor = f.LatencyFactor }).ToArray();
        _profile = model.Profile;
        _prometheusIncrease = model.PrometheusIncrease;
        _countersInitialized = model.PrometheusCountersInitialized;
        _burstSize = model.ErrorBurstSize;
        _historyBuckets = model.BaselineHistory.Ticks / TimeSpan.TicksPerMinute;
        _historyErrorFactor = model.BaselineHistoryErrorFactor;
        _bounds = [.. model.LatencyBuckets];
        _bins = _bounds.Length + 1;
        _weights.Add((0, model.CanaryWeight));
        Seed = seed;
        for (var v = 0; v < 2; v++)
        {
            _requests[v] = new long[_endpoints.Length * 64];
            _failures[v] = new long[_endpoints.Length * 64];
            _latency[v] = new long[_endpoints.Length * _bins * 64];
            _latencySum[v] = new double[_endpoints.Length * 64];
        }
    }

    /// <summary>Gets the longest time after the start that can be queried: 8 days.</summary>
    public static TimeSpan MaximumDuration { get; } = TimeSpan.FromDays(8);

    /// <summary>Gets the selector of the canary's series: <c>version="canary"</c>.</summary>
    public static LabelSelector CanarySelector { get; } = LabelSelector.Of(LabelMatcher.Equal(VersionLabel, CanaryVersion));

    /// <summary>Gets the selector of the baseline's series: <c>version="baseline"</c>.</summary>
    public static LabelSelector BaselineSelector { get; } = LabelSelector.Of(LabelMatcher.Equal(VersionLabel, BaselineVersion));

    /// <summary>Gets the seed.</summary>
    public int Seed { get; }

    /// <summary>Gets when the simulated world starts.</summary>
    public DateTimeOffset Start => _start;

    /// <summary>Gets the scrape interval (the length of a generated bucket).</summary>
    public TimeSpan ScrapeInterval => TimeSpan.FromTicks(_intervalTicks);

    /// <summary>Gets the end of the latest bucket generated so far (weights can only change after it).</summary>
    public DateTimeOffset GeneratedUntil
    {
        get
        {
            lock (_gate)
            {
                return _start + TimeSpan.FromTicks(_generated * _intervalTicks);
            }
        }
    }

    /// <summary>
    /// Changes the canary's share of requests from a time on — the hook a policy uses when it sets a step's weight.
    /// The change applies from the first bucket that starts at or after <paramref name="from"/>.
    /// </summary>
    /// <param name="from">When the new weight applies.</param>
    /// <param name="weight">The canary's share (0–1).</param>
    /// <exception cref="ArgumentOutOfRangeException">The weight is not between 0 and 1.</exception>
    /// <exception cref="InvalidOperationException">Traffic after <paramref name="from"/> was already generated (and maybe read).</exception>
    public void SetCanaryWeight(DateTimeOffset from, double weight)
    {
        if (!double.IsFinite(weight) || weight < 0 || weight > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "The canary weight must be between 0 and 1.");
        }

        lock (_gate)
        {
            var bucket = from <= _start ? 0 : CeilDiv((from - _start).Ticks, _intervalTicks);
            if (bucket < _generated)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Cannot change the canary weight from {from:O}: traffic up to {_start + TimeSpan.FromTicks(_generated * _intervalTicks):O} was already generated."));
            }

            _weights.RemoveAll(w => w.FromBucket >= bucket);
            _weights.Add((bucket, weight));
        }
    }

    /// <summary>Gets the canary's share of requests in force at a time.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The weight (0–1).</returns>
    public double CanaryWeightAt(DateTimeOffset time)
    {
        lock (_gate)
        {
            return WeightOf(time <= _start ? 0 : (time - _start).Ticks / _intervalTicks);
        }
    }

    /// <inheritdoc />
    /// <exception cref="MetricQueryException">The selector does not follow the label contract, or the window ends more than <see cref="MaximumDuration"/> after the start.</exception>
    public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(query));
    }

    /// <summary>Reads a snapshot synchronously (the data is generated in memory).</summary>
    /// <param name="query">The version's selector and the window.</param>
    /// <returns>The per-endpoint traffic.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="MetricQueryException">The selector does not follow the label contract, or the window ends more than <see cref="MaximumDuration"/> after the start.</exception>
    public TrafficSnapshot Read(TrafficQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var version = VersionOf(query);
        if (query.End - _start > MaximumDuration)
        {
            throw new MetricQueryException(query.ToString(), MetricQueryErrorKind.Backend,
                $"the simulation covers {MaximumDuration.TotalDays} days from {_start:O}; asked for {query.End:O}");
        }

        var endBucket = Completed(query.End);
        var startBucket = Completed(query.Start);
        var increase = _prometheusIncrease && query.Counting == TrafficCounting.Increase ? IncreaseRange(query) : null;
        var e = _endpoints.Length;
        var endpoints = new List<EndpointTraffic>(e);
        lock (_gate)
        {
            Generate(endBucket);
            if (query.IncludeLatency)
            {
                GenerateLatency(endBucket);
            }

            var requests = _requests[version];
            var failures = _failures[version];
            var (historyEnd, historyStart) = version == 0 && _historyBuckets > 0 ? (HistoryCompleted(query.End), HistoryCompleted(query.Start)) : (0, 0);
            if (historyEnd > 0)
            {
                GenerateHistory();
            }

            for (var i = 0; i < e; i++)
            {
                var (historyRequests, historyFailures) = historyEnd > 0
                    ? (_historyRequests![(historyEnd * e) + i] - _historyRequests[(historyStart * e) + i], _historyFailures![(historyEnd * e) + i] - _historyFailures[(historyStart * e) + i])
                    : (0L, 0L);
                var total = requests[(endBucket * e) + i] + (historyEnd > 0 ? _historyRequests![(historyEnd * e) + i] : 0);
                if (total == 0)
                {
                    continue;
                }

                Dictionary<StatusClass, double> counts;
                if (increase is { } range)
                {
                    var ok = Increase(range, at => requests[at] - failures[at], i);
                    var errors = Increase(range, at => failures[at], i);
                    counts = new Dictionary<StatusClass, double> { [StatusClass.Success] = ok, [StatusClass.ServerError] = errors };
                }
                else
                {
                    var n = requests[(endBucket * e) + i] - requests[(startBucket * e) + i] + historyRequests;
                    var f = failures[(endBucket * e) + i] - failures[(startBucket * e) + i] + historyFailures;
                    counts = new Dictionary<StatusClass, double> { [StatusClass.Success] = n - f, [StatusClass.ServerError] = f };
                }

                endpoints.Add(new EndpointTraffic(_endpoints[i].Name, counts, SuccessRule.Status2xx, query.IncludeLatency ? Histogram(version, i, startBucket, endBucket) : null));
            }
        }

        return new TrafficSnapshot(query.End, query.Window, endpoints);
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;

    /// <summary>The history's minute buckets completed by a time (all of them from the start on).</summary>
    private long HistoryCompleted(DateTimeOffset time)
    {
        var fromHistoryStart = (time - _start).Ticks + (_historyBuckets * TimeSpan.TicksPerMinute);
        return fromHistoryStart <= 0 ? 0 : Math.Min(_historyBuckets, fromHistoryStart / TimeSpan.TicksPerMinute);
    }

    /// <summary>Generates the baseline's history once, in minute buckets, each from its own random stream (see <see cref="SimulatedTrafficModel.BaselineHistory"/>).</summary>
    private void GenerateHistory()
    {
        if (_historyRequests is not null)
        {
            return;
        }

        var e = _endpoints.Length;
        var (requests, failures) = (new long[(_historyBuckets + 1) * e], new long[(_historyBuckets + 1) * e]);
        var historyStart = _start - TimeSpan.FromMinutes(_historyBuckets);
        for (var k = 0L; k < _historyBuckets; k++)
        {
            var load = _profile.MultiplierAt(historyStart + TimeSpan.FromSeconds((k * 60) + 30)) * 60;
            var random = new RandomStream(Seed, k, HistorySalt);
            for (var i = 0; i < e; i++)
            {
                var spec = _endpoints[i];
                var n = random.Poisson(spec.RequestsPerSecond * load);
                var f = Failures(ref random, n, Math.Min(1, spec.ErrorRate * _historyErrorFactor));
                var at = (k * e) + i;
                requests[at + e] = requests[at] + n;
                failures[at + e] = failures[at] + f;
            }
        }

        (_historyRequests, _historyFailures) = (requests, failures);
    }

    /// <summary>
    /// Prometheus' range for an <c>increase()</c> at the query's end: (⌊end⌋ − range, ⌊end⌋] on the millisecond grid, and the
    /// scrapes inside it (scrape k at start + k × interval).
    /// </summary>
    private IncreaseWindow? IncreaseRange(TrafficQuery query)
    {
        var endTicks = (PromQl.Floor(query.End) - _start).Ticks;
        var startTicks = endTicks - PromQl.WindowRange(query).Ticks;
        if (endTicks < 0)
        {
            return null;
        }

        var first = startTicks < 0 ? 0 : (startTicks / _intervalTicks) + 1;
        var last = endTicks / _intervalTicks;
        return new IncreaseWindow(first, last, startTicks / (double)TimeSpan.TicksPerSecond, endTicks / (double)TimeSpan.TicksPerSecond);
    }

    /// <summary>
    /// What <c>increase()</c> gives for one counter of one endpoint: its samples are the scrapes in the window where it exists
    /// (from its first non-zero value, or from the start when the counters are initialised).
    /// </summary>
    private double Increase(IncreaseWindow window, Func<long, long> valueAt, int endpoint)
    {
        var e = _endpoints.Length;
        var count = (int)Math.Max(0, window.LastScrape - window.FirstScrape + 1);
        var times = new double[count];
        var values = new double[count];
        var n = 0;
        var seconds = _intervalTicks / (double)TimeSpan.TicksPerSecond;
        for (var k = window.FirstScrape; k <= window.LastScrape; k++)
        {
            var value = valueAt((k * e) + endpoint);
            if (value > 0 || _countersInitialized)
            {
                times[n] = k * seconds;
                values[n] = value;
                n++;
            }
        }

        var result = PrometheusIncrease.Of(times.AsSpan(0, n), values.AsSpan(0, n), window.RangeStartSeconds, window.RangeEndSeconds);
        return double.IsNaN(result) ? 0 : result;
    }

    private static int VersionOf(TrafficQuery query)
    {
        var matchers = query.Selector.Matchers.Where(m => string.Equals(m.Name, VersionLabel, StringComparison.Ordinal)).ToList();
        if (matchers.Count == 1 && matchers[0].Operator == MatchOperator.Equal)
        {
            switch (matchers[0].Value)
            {
                case BaselineVersion: return 0;
                case CanaryVersion: return 1;
            }
        }

        throw new MetricQueryException(query.ToString(), MetricQueryErrorKind.Backend,
            $"a simulated source needs exactly one matcher {VersionLabel}=\"{CanaryVersion}\" or {VersionLabel}=\"{BaselineVersion}\" in the selector, got {{{query.Selector}}}");
    }

    private long Completed(DateTimeOffset time) => time <= _start ? 0 : (time - _start).Ticks / _intervalTicks;

    private double WeightOf(long bucket)
    {
        var weight = _weights[0].Weight;
        foreach (var (from, w) in _weights)
        {
            if (from <= bucket)
            {
                weight = w;
            }
        }

        return weight;
    }

    private (double ErrorRate, double Median) CanaryBehaviour(int endpoint, long bucket) => Behaviour(endpoint, bucket, canary: true);

    /// <summary>A version's error rate and median latency in a bucket: the canary gets every active fault, the baseline only shared ones.</summary>
    private (double ErrorRate, double Median) Behaviour(int endpoint, long bucket, bool canary)
    {
        var spec = _endpoints[endpoint];
        var (errorRate, factor) = (spec.ErrorRate, 1.0);
        var bucketStart = bucket * _intervalTicks;
        foreach (var fault in _faults)
        {
            if ((canary || fault.Shared) && (fault.Endpoint is null || string.Equals(fault.Endpoint, spec.Name, StringComparison.Ordinal)) && fault.IsActiveAt(bucketStart))
            {
                errorRate = fault.ErrorRate ?? errorRate;
                factor = fault.LatencyFactor ?? factor;
            }
        }

        return (errorRate, spec.LatencyMedianSeconds * factor);
    }

    private void Generate(long upTo)
    {
        if (upTo <= _generated)
        {
            return;
        }

        var e = _endpoints.Length;
        Grow(_requests, (upTo + 1) * e);
        Grow(_failures, (upTo + 1) * e);
        var seconds = _intervalTicks / (double)TimeSpan.TicksPerSecond;
        for (var k = _generated; k < upTo; k++)
        {
            var middle = _start + TimeSpan.FromTicks((k * _intervalTicks) + (_intervalTicks / 2));
            var load = _profile.MultiplierAt(middle) * seconds;
            var weight = WeightOf(k);
            var random = new RandomStream(Seed, k, CountSalt);
            for (var i = 0; i < e; i++)
            {
                var spec = _endpoints[i];
                var canaryErrors = CanaryBehaviour(i, k).ErrorRate;
                var baselineErrors = Behaviour(i, k, canary: false).ErrorRate;
                for (var v = 0; v < 2; v++)
                {
                    var share = v == 1 ? weight : 1 - weight;
                    var n = random.Poisson(spec.RequestsPerSecond * load * share);
                    var f = Failures(ref random, n, v == 1 ? canaryErrors : baselineErrors);
                    var at = (k * e) + i;
                    _requests[v][at + e] = _requests[v][at] + n;
                    _failures[v][at + e] = _failures[v][at] + f;
                }
            }
        }

        _generated = upTo;
    }

    /// <summary>A version's failed requests among <paramref name="n"/> in one bucket: independent, or whole blocks of the burst size (see <see cref="SimulatedTrafficModel.ErrorBurstSize"/>).</summary>
    private long Failures(ref RandomStream random, long n, double errorRate)
    {
        if (_burstSize == 1)
        {
            return random.Binomial(n, errorRate);
        }

        var rest = n % _burstSize;
        var failures = _burstSize * random.Binomial(n / _burstSize, errorRate);
        return rest > 0 && random.NextDouble() < errorRate ? failures + rest : failures;
    }

    private void GenerateLatency(long upTo)
    {
        if (upTo <= _latencyGenerated)
        {
            return;
        }

        var e = _endpoints.Length;
        Grow(_latency, (upTo + 1) * e * _bins);
        Grow(_latencySum, (upTo + 1) * e);
        for (var k = _latencyGenerated; k < upTo; k++)
        {
            var random = new RandomStream(Seed, k, LatencySalt);
            for (var i = 0; i < e; i++)
            {
                var spec = _endpoints[i];
                for (var v = 0; v < 2; v++)
                {
                    var median = Behaviour(i, k, canary: v == 1).Median;
                    var bins = BinsOf(median, spec.LatencySpread);
                    var at = (k * e) + i;
                    var remaining = _requests[v][at + e] - _requests[v][at];
                    var sum = 0.0;
                    var cell = at * _bins;
                    var next = cell + (e * _bins);
                    for (var b = 0; b < _bins; b++)
                    {
                        var count = remaining > 0 ? random.Binomial(remaining, bins.Conditional[b]) : 0;
                        remaining -= count;
                        sum += count * bins.Mean[b];
                        _latency[v][next + b] = _latency[v][cell + b] + count;
                    }

                    _latencySum[v][at + e] = _latencySum[v][at] + sum;
                }
            }
        }

        _latencyGenerated = upTo;
    }

    private LatencyBins BinsOf(double median, double spread)
    {
        if (!_latencyBins.TryGetValue((median, spread), out var bins))
        {
            bins = new LatencyBins(_bounds, median, spread);
            _latencyBins.Add((median, spread), bins);
        }

        return bins;
    }

    private LatencyHistogram Histogram(int version, int endpoint, long startBucket, long endBucket)
    {
        var e = _endpoints.Length;
        var end = ((endBucket * e) + endpoint) * _bins;
        var start = ((startBucket * e) + endpoint) * _bins;
        var buckets = new (double UpperBound, double CumulativeCount)[_bins];
        long cumulative = 0;
        for (var b = 0; b < _bins; b++)
        {
            cumulative += _latency[version][end + b] - _latency[version][start + b];
            buckets[b] = (b < _bounds.Length ? _bounds[b] : double.PositiveInfinity, cumulative);
        }

        var sum = _latencySum[version][(endBucket * e) + endpoint] - _latencySum[version][(startBucket * e) + endpoint];
        return new LatencyHistogram(buckets, Math.Max(0, sum));
    }

    private static void Grow<T>(T[][] arrays, long needed)
    {
        for (var v = 0; v < arrays.Length; v++)
        {
            if (arrays[v].LongLength < needed)
            {
                var size = Math.Max(needed, arrays[v].LongLength * 2);
                Array.Resize(ref arrays[v], checked((int)size));
            }
        }
    }

    private readonly record struct IncreaseWindow(long FirstScrape, long LastScrape, double RangeStartSeconds, double RangeEndSeconds);
}
