using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Canary.Analysis.Evaluation;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Metrics.Prometheus.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Benchmarks;

/// <summary>
/// Weighted per-endpoint success rate over 200 endpoints, end to end against a real Prometheus (started in
/// <see cref="Setup"/> with <see cref="ManyEndpointsFixture"/>): the hand-written weighted PromQL that users write today,
/// <c>(Σ wᵢ · sum(increase(2xx of endpoint i [15m])) / sum(increase(all of endpoint i [15m]))) / Σ wᵢ</c> (400 selectors),
/// evaluated by the server, vs the library's one grouped query per version plus <see cref="SuccessRateEvaluator"/>.
/// Same server, data, window and evaluation time; both warm. Target (DESIGN.md): the library ≥ 7× faster.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MinColumn]
[MedianColumn]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "Disposed in [GlobalCleanup].")]
public class WeightedSuccessRateBenchmarks
{
    private const int Endpoints = 200;
    private const string OneVersion = "canary only (1 query)";
    private const string TwoVersions = "canary + baseline (2 queries)";

    private static readonly TimeSpan Window = StandardFixture.Window;

    private readonly DateTimeOffset _end = ManyEndpointsFixture.End;
    private PrometheusServer? _server;
    private CountingHandler _rawCounter = null!;
    private HttpClient _raw = null!;
    private CountingHandler _libraryCounter = null!;
    private HttpClient _libraryHttp = null!;
    private PrometheusMetricProvider _provider = null!;
    private PrometheusTrafficSource _source = null!;
    private SuccessRateCriteria _criteria = null!;
    private TrafficQuery _canaryQuery = null!;
    private TrafficQuery _baselineQuery = null!;
    private string _canaryPromQl = string.Empty;
    private string _baselinePromQl = string.Empty;
    private string _time = string.Empty;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider?.Dispose();
        _libraryHttp?.Dispose();
        _raw?.Dispose();
        _server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server = null;
    }

    [BenchmarkCategory(OneVersion)]
    [Benchmark(Baseline = true, Description = "hand-written weighted PromQL (400 selectors)")]
    public async Task<double> HandWrittenPromQl() => await QueryScalarAsync(_canaryPromQl);

    [BenchmarkCategory(OneVersion)]
    [Benchmark(Description = "library: 1 grouped query + SuccessRateEvaluator")]
    public async Task<double> Library() => (await EvaluateAsync(_canaryQuery)).Value;

    [BenchmarkCategory(TwoVersions)]
    [Benchmark(Baseline = true, Description = "hand-written weighted PromQL × 2 versions")]
    public async Task<double> HandWrittenPromQlBothVersions() =>
        await QueryScalarAsync(_canaryPromQl) - await QueryScalarAsync(_baselinePromQl);

    [BenchmarkCategory(TwoVersions)]
    [Benchmark(Description = "library: 2 grouped queries + 2 evaluations")]
    public async Task<double> LibraryBothVersions() =>
        (await EvaluateAsync(_canaryQuery)).Value - (await EvaluateAsync(_baselineQuery)).Value;

    /// <summary>The weighted PromQL a user writes by hand for one version: one pair of selectors per endpoint.</summary>
    internal static string HandWrittenQuery(string job, string version, IReadOnlyList<(string Endpoint, double Weight)> weights, TimeSpan window)
    {
        var range = ((long)window.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
        var builder = new StringBuilder(weights.Count * 260);
        builder.Append('(');
        double total = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var (endpoint, weight) = weights[i];
            total += weight;
            var selector = $"http_request_duration_seconds_count{{job=\"{job}\",version=\"{version}\",endpoint=\"{endpoint}\"";
            builder.Append(i == 0 ? "\n  " : "\n  + ")
                .Append(weight.ToString("R", CultureInfo.InvariantCulture))
                .Append(" * (sum(increase(").Append(selector).Append(",code=~\"2..\"}[").Append(range).Append("]))")
                .Append(" / sum(increase(").Append(selector).Append("}[").Append(range).Append("])))");
        }

        builder.Append("\n) / ").Append(total.ToString("R", CultureInfo.InvariantCulture));
        return builder.ToString();
    }

    private async Task SetupAsync()
    {
        var job = ManyEndpointsFixture.JobName(Endpoints);
        _server = await PrometheusServer.StartAsync(ManyEndpointsFixture.Build(Endpoints), new PrometheusServerOptions { StartupTimeout = TimeSpan.FromSeconds(120) });
        Console.WriteLine($"// Prometheus at {_server.Address}: backfill {_server.BackfillDuration.TotalSeconds:0.0} s, start {_server.StartupDuration.TotalSeconds:0.0} s");

        _time = PrometheusFormat.Time(_end);
        _rawCounter = new CountingHandler(new SocketsHttpHandler());
        _raw = new HttpClient(_rawCounter) { BaseAddress = _server.Address, Timeout = TimeSpan.FromSeconds(60) };
        _libraryCounter = new CountingHandler(new SocketsHttpHandler());
        _libraryHttp = new HttpClient(_libraryCounter);
        _provider = new PrometheusMetricProvider(_libraryHttp, new PrometheusOptions { Address = _server.Address, Timeout = TimeSpan.FromSeconds(60) });
        _source = new PrometheusTrafficSource(_provider, TrafficConvention.PrometheusNet);

        // 200 explicit, unequal weights (0.25 … 2.25), the same in PromQL and in C#.
        var weights = Enumerable.Range(0, Endpoints)
            .Select(i => (Endpoint: ManyEndpointsFixture.EndpointName(i), Weight: (1 + (i % 9)) / 4.0))
            .ToArray();
        var endpointWeights = new EndpointWeights();
        foreach (var (endpoint, weight) in weights)
        {
            endpointWeights[endpoint] = weight;
        }

        _criteria = new SuccessRateCriteria { Weights = endpointWeights, MinimumSuccessRate = 0.95 };
        _canaryQuery = new TrafficQuery(Selector(job, FixtureVersions.Canary), _end, Window);
        _baselineQuery = new TrafficQuery(Selector(job, FixtureVersions.Baseline), _end, Window);
        _canaryPromQl = HandWrittenQuery(job, FixtureVersions.Canary, weights, Window);
        _baselinePromQl = HandWrittenQuery(job, FixtureVersions.Baseline, weights, Window);

        foreach (var (version, query, promQl) in new[] { ("canary", _canaryQuery, _canaryPromQl), ("baseline", _baselineQuery, _baselinePromQl) })
        {
            var before = _libraryCounter.Count;
            var result = await EvaluateAsync(query);
            var requests = _libraryCounter.Count - before;
            if (requests != 1)
            {
                throw new InvalidOperationException($"{version}: the library sent {requests} HTTP requests for one snapshot, expected exactly 1.");
            }

            if (result.Verdict == Verdict.Inconclusive || result.Endpoints.Count(r => r.Status != EndpointStatus.Excluded) != Endpoints)
            {
                throw new InvalidOperationException($"{version}: the library did not judge all {Endpoints} endpoints: {result.Reason}");
            }

            before = _rawCounter.Count;
            var expected = await QueryScalarAsync(promQl);
            if (_rawCounter.Count - before != 1)
            {
                throw new InvalidOperationException($"{version}: the hand-written query took {_rawCounter.Count - before} HTTP requests.");
            }

            if (!(Math.Abs(expected - result.Value) <= 1e-9))
            {
                throw new InvalidOperationException($"{version}: hand-written PromQL gives {expected:R}, the library {result.Value:R} (difference {expected - result.Value:R} > 1e-9).");
            }

            Console.WriteLine($"// {version}: weighted success rate {result.Value:R} (PromQL {expected:R}); query lengths: library {_source.BuildRequestQuery(query).Length} chars, hand-written {promQl.Length} chars");
            Console.WriteLine($"//   server-side stats, library query:     {await ServerStatsAsync(_source.BuildRequestQuery(query))}");
            Console.WriteLine($"//   server-side stats, hand-written query: {await ServerStatsAsync(promQl)}");
        }

        await ProfileAsync();

        var start = _libraryCounter.Count;
        _ = await LibraryBothVersions();
        if (_libraryCounter.Count - start != 2)
        {
            throw new InvalidOperationException($"Reading canary and baseline took {_libraryCounter.Count - start} HTTP requests, expected 2.");
        }
    }

    /// <summary>Where the library's time goes (median of 30 runs of each step), printed into the run log.</summary>
    private async Task ProfileAsync()
    {
        var promQl = _source.BuildRequestQuery(_canaryQuery);
        var snapshot = await _source.ReadAsync(_canaryQuery);
        var steps = new (string Name, Func<Task> Step)[]
        {
            ("plain HttpClient POST of the grouped query (body read, not parsed)", async () =>
            {
                using var content = new FormUrlEncodedContent([new("query", promQl), new("time", _time)]);
                using var response = await _raw.PostAsync(new Uri("api/v1/query", UriKind.Relative), content);
                _ = await response.Content.ReadAsByteArrayAsync();
            }),
            ("PrometheusMetricProvider.QueryAsync (Flurl + parse)", () => _provider.QueryAsync(promQl, _end)),
            ("PrometheusTrafficSource.ReadAsync", () => _source.ReadAsync(_canaryQuery)),
            ("SuccessRateEvaluator.Evaluate (200 endpoints, no I/O)", () =>
            {
                _ = SuccessRateEvaluator.Evaluate(snapshot, _criteria);
                return Task.CompletedTask;
            }),
            ("plain HttpClient POST of the hand-written query", () => QueryScalarAsync(_canaryPromQl)),
        };

        foreach (var (name, step) in steps)
        {
            var times = new double[30];
            for (var i = -3; i < times.Length; i++)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await step();
                if (i >= 0)
                {
                    times[i] = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }

            Array.Sort(times);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"//   profile: {name}: median {times[times.Length / 2]:0.000} ms, min {times[0]:0.000} ms"));
        }
    }

    private static LabelSelector Selector(string job, string version) =>
        LabelSelector.Parse($"job=\"{job}\",version=\"{version}\"");

    private async Task<CheckResult> EvaluateAsync(TrafficQuery query)
    {
        var snapshot = await _source.ReadAsync(query);
        return SuccessRateEvaluator.Evaluate(snapshot, _criteria);
    }

    /// <summary>A plain HttpClient POST to /api/v1/query, reading the single value of the result.</summary>
    private async Task<double> QueryScalarAsync(string promQl)
    {
        using var content = new FormUrlEncodedContent([new("query", promQl), new("time", _time)]);
        using var response = await _raw.PostAsync(new Uri("api/v1/query", UriKind.Relative), content);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Prometheus answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        }

        using var document = JsonDocument.Parse(body);
        var data = document.RootElement.GetProperty("data");
        var result = data.GetProperty("result");
        var pair = data.GetProperty("resultType").GetString() == "scalar" ? result : result[0].GetProperty("value");
        return double.Parse(pair[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Prometheus' own timings of a query (<c>stats=all</c>): where the server spends its time.</summary>
    private async Task<string> ServerStatsAsync(string promQl)
    {
        // Twice: the first warms the server; report the second.
        string summary = string.Empty;
        for (var i = 0; i < 2; i++)
        {
            using var content = new FormUrlEncodedContent([new("query", promQl), new("time", _time), new("stats", "all")]);
            using var response = await _raw.PostAsync(new Uri("api/v1/query", UriKind.Relative), content);
            using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
            if (!document.RootElement.GetProperty("data").TryGetProperty("stats", out var stats))
            {
                return "(no stats in the response)";
            }

            var timings = stats.GetProperty("timings");
            var samples = stats.GetProperty("samples");
            summary = string.Create(CultureInfo.InvariantCulture,
                $"execTotal {timings.GetProperty("execTotalTime").GetDouble() * 1000:0.000} ms, prepare {timings.GetProperty("queryPreparationTime").GetDouble() * 1000:0.000} ms, innerEval {timings.GetProperty("innerEvalTime").GetDouble() * 1000:0.000} ms, samples {samples.GetProperty("totalQueryableSamples").GetInt64()}");
        }

        return summary;
    }

    /// <summary>Counts the HTTP requests a client sends.</summary>
    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
