using System.Globalization;
using System.Text;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Simulation.Internal;
using Canary.Analysis.Traffic;
using Xunit.Abstractions;

namespace Canary.Analysis.IntegrationTests.Analysis;

/// <summary>
/// The counts <see cref="SequentialErrorRateCheck"/> sees, read from a real Prometheus-API engine holding known counter series
/// scraped every 15 s (pods with different scrape phases, a pod restart that resets its counters, a pod and an error series
/// that appear mid-way): at looks on a jittered sub-second timer, every window's requests and errors equal the increments of
/// the scrapes inside it exactly, consecutive windows tile, and their sum is the whole truth, on Prometheus
/// (<see cref="ExactCountsOnPrometheusTests"/>) and VictoriaMetrics (<see cref="ExactCountsOnVictoriaMetricsTests"/>) alike:
/// both return a range selector's raw samples. Per-look <c>increase()</c> differs by engine: Prometheus' loses increments
/// between looks (and the simulator's <c>increase()</c> equals it); MetricsQL's starts from the last sample before each
/// window, so its looks tile too.
/// </summary>
public abstract class ExactCountsPrometheusTests(ExactCountsPrometheusTests.CounterServer server, ITestOutputHelper output) : IDisposable
{
    private static readonly DateTimeOffset DataStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DataEnd = DataStart.AddMinutes(45);
    private static readonly TrafficConvention Convention = new() { Name = "counters", RequestCountMetric = "http_requests_total", EndpointLabel = "endpoint", StatusLabel = "code" };
    private static readonly LabelSelector Canary = LabelSelector.Parse("version=\"canary\"");
    private static readonly LabelSelector Baseline = LabelSelector.Parse("version=\"baseline\"");

    private readonly PrometheusMetricProvider _provider = new(new PrometheusOptions { Address = server.Address });

    public void Dispose()
    {
        _provider.Dispose();
        GC.SuppressFinalize(this);
    }

    [PrometheusFact]
    public async Task Check_JitteredLooks_CountsEqualTheScrapedTruth_WindowsTile_SumIsTheTotal()
    {
        var source = new RecordingSource(new PrometheusTrafficSource(_provider, Convention));
        var check = new SequentialErrorRateCheck(source, Canary, Baseline, TimeSpan.FromMinutes(1), new SequentialErrorRateCriteria());
        var looks = Looks(seed: 7);
        foreach (var look in looks)
        {
            await check.MeasureAsync(look);
        }

        Assert.Equal(2 * looks.Count, source.Reads.Count);
        var previousEnd = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var seen = new Dictionary<(string Version, string Endpoint), (double Requests, double Errors)>();
        foreach (var (query, snapshot) in source.Reads)
        {
            Assert.Equal(TrafficCounting.CounterDifference, query.Counting);
            var version = query.Selector.Matchers.Single().Value;
            if (previousEnd.TryGetValue(version, out var end))
            {
                Assert.Equal(end, query.Start); // the windows tile
            }

            previousEnd[version] = query.End;
            Assert.True(snapshot.IsComplete, string.Join("; ", snapshot.Gaps));
            foreach (var endpoint in CounterServer.Endpoints)
            {
                var (requests, errors) = CounterServer.Truth(version, endpoint, query.Start, query.End);
                var traffic = snapshot.Endpoints.GetValueOrDefault(endpoint);
                Assert.Equal(requests, traffic?.Requests ?? 0);
                Assert.Equal(errors, traffic?.Failures ?? 0);
                var sum = seen.GetValueOrDefault((version, endpoint));
                seen[(version, endpoint)] = (sum.Requests + requests, sum.Errors + errors);
            }
        }

        var first = looks[0] - TimeSpan.FromMinutes(1);
        foreach (var ((version, endpoint), (requests, errors)) in seen)
        {
            var total = CounterServer.Truth(version, endpoint, first, looks[^1]);
            Assert.Equal(total, (requests, errors));
            Assert.True(requests > 0, $"{version} {endpoint} had no traffic: the fixture proves nothing");
        }

        Assert.Contains(source.Reads, read => read.Snapshot.Warnings.Any(w => w.Contains("counter reset", StringComparison.Ordinal)));
    }

    /// <summary>
    /// With <see cref="SequentialErrorRateCriteria.BaselineHistory"/> the check reads the baseline's history through the same
    /// source, once, as exact counter differences over segments ending where its first window starts: each segment equals the
    /// scraped truth (a restart and series born mid-way included), and the evidence holds their sum.
    /// </summary>
    [PrometheusFact]
    public async Task BaselineHistory_ReadOnceAsExactDifferences_EqualsTheScrapedTruth()
    {
        var source = new RecordingSource(new PrometheusTrafficSource(_provider, Convention));
        var criteria = new SequentialErrorRateCriteria
        {
            EstimateErrorDispersion = false,
            BaselineHistory = new BaselineHistoryOptions { Window = TimeSpan.FromMinutes(20), Segments = 4 },
        };
        var check = new SequentialErrorRateCheck(source, Canary, Baseline, TimeSpan.FromMinutes(1), criteria);
        var looks = Looks(seed: 11).Where(l => l > DataStart.AddMinutes(30)).Take(3).ToList();
        foreach (var look in looks)
        {
            await check.MeasureAsync(look);
        }

        var history = source.Reads.Where(r => r.Query.Window == TimeSpan.FromMinutes(5)).ToList();
        Assert.Equal(4, history.Count);
        Assert.Equal(2 * looks.Count, source.Reads.Count - history.Count);
        Assert.Equal(looks[0] - TimeSpan.FromMinutes(1), history[^1].Query.End);
        foreach (var endpoint in CounterServer.Endpoints)
        {
            foreach (var (query, snapshot) in history)
            {
                Assert.Equal(TrafficCounting.CounterDifference, query.Counting);
                Assert.Equal("baseline", query.Selector.Matchers.Single().Value);
                var (requests, errors) = CounterServer.Truth("baseline", endpoint, query.Start, query.End);
                Assert.Equal(requests, snapshot.Endpoints.GetValueOrDefault(endpoint)?.Requests ?? 0);
                Assert.Equal(errors, snapshot.Endpoints.GetValueOrDefault(endpoint)?.Failures ?? 0);
            }

            var total = CounterServer.Truth("baseline", endpoint, history[0].Query.Start, history[^1].Query.End);
            var evidence = check.Evidence.Endpoints.Single(e => e.Endpoint == endpoint).History;
            Assert.True(evidence is not null, check.Evidence.HistoryNote);
            Assert.Equal(total.Requests, evidence.Requests);
            Assert.Equal(total.Errors, evidence.Errors);
        }
    }

    [PrometheusFact]
    public async Task IncreasePerLook_OnTheSameData_PrometheusLosesIncrementsBetweenLooks_VictoriaMetricsDoesNot()
    {
        var promSource = new PrometheusTrafficSource(_provider, Convention);
        var looks = Looks(seed: 7);
        double exact = 0, increase = 0, truth = 0;
        var start = looks[0] - TimeSpan.FromMinutes(1);
        foreach (var look in looks)
        {
            var query = new TrafficQuery(Canary, look, look - start);
            increase += (await promSource.ReadAsync(query)).TotalRequests;
            exact += (await promSource.ReadAsync(new TrafficQuery(Canary, look, look - start) { Counting = TrafficCounting.CounterDifference })).TotalRequests;
            truth += CounterServer.Endpoints.Sum(e => CounterServer.Truth("canary", e, start, look).Requests);
            start = look;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{server.Engine}: canary requests over {looks.Count} looks: truth {truth}, exact differences {exact}, per-look increase() {increase:0.#} ({(increase / truth) - 1:+0.0 %;-0.0 %})"));
        Assert.Equal(truth, exact);
        if (server.Engine == PrometheusApiEngine.VictoriaMetrics)
        {
            // MetricsQL: each window's increase() starts from the last sample before it, so the looks tile without loss.
            Assert.Equal(truth, increase);
        }
        else
        {
            Assert.NotEqual(truth, Math.Round(increase));
        }
    }

    /// <summary>
    /// Evaluates the engine's <c>increase(http_requests_total[60s])</c> at jittered looks (on the millisecond grid) and hands
    /// each series' answer to <paramref name="compare"/>; returns how many it compared (it returns false to pass one over).
    /// </summary>
    protected async Task<int> CompareIncreaseAsync(Func<RawSample, DateTimeOffset, bool> compare)
    {
        var compared = 0;
        foreach (var look in Looks(seed: 3))
        {
            var evaluated = DateTimeOffset.FromUnixTimeMilliseconds(look.ToUnixTimeMilliseconds());
            var answers = await server.Client.QueryAsync("increase(http_requests_total[60s])", evaluated);
            Assert.NotEmpty(answers);
            compared += answers.Count(answer => compare(answer, evaluated));
        }

        return compared;
    }

    private static List<DateTimeOffset> Looks(int seed) => JitteredLooks.From(DataStart.AddMinutes(3).AddTicks(3_712_345), DataEnd.AddMinutes(-1), seed);

    /// <summary>Records what a source answered.</summary>
    private sealed class RecordingSource(ITrafficSource inner) : ITrafficSource
    {
        public List<(TrafficQuery Query, TrafficSnapshot Snapshot)> Reads { get; } = [];

        public async Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
        {
            var snapshot = await inner.ReadAsync(query, cancellationToken);
            lock (Reads)
            {
                Reads.Add((query, snapshot));
            }

            return snapshot;
        }
    }

    /// <summary>
    /// Counter series scraped every 15 s for 45 minutes. Canary pods c1 (phase 0), c2 (phase 7.25 s; restarts at minute
    /// 20: its next scrape holds only what it counted since) and c3 (phase 3.5 s, from minute 18); baseline pod b1 (phase
    /// 11.875 s; binary-exact phases, so promtool stores the very milliseconds). Endpoints /pay and /rare; /rare's 500
    /// series on c1 appears at minute 22. Increments are seeded.
    /// </summary>
    public class CounterServer : OpenMetricsPrometheusFixture
    {
        internal static readonly string[] Endpoints = ["/pay", "/rare"];

        private static readonly (string Version, string Pod, double Phase, double From)[] Pods =
            [("canary", "c1", 0, 0), ("canary", "c2", 7.25, 0), ("canary", "c3", 3.5, 18), ("baseline", "b1", 11.875, 0)];

        private static readonly Dictionary<(string Pod, string Endpoint, string Code), List<(DateTimeOffset Time, double Value, long Increment)>> Series = Build();

        protected override DateTimeOffset ReadinessTime => DataEnd;

        protected override string ReadinessQuery => "count(http_requests_total)";

        /// <summary>The requests and errors whose scrapes fall in (start, end] on Prometheus' millisecond grid.</summary>
        internal static (double Requests, double Errors) Truth(string version, string endpoint, DateTimeOffset start, DateTimeOffset end)
        {
            (start, end) = (Floor(start), Floor(end));
            double requests = 0, errors = 0;
            foreach (var ((pod, e, code), samples) in Series)
            {
                if (e != endpoint || Pods.Single(p => p.Pod == pod).Version != version)
                {
                    continue;
                }

                var sum = samples.Where(s => s.Time > start && s.Time <= end).Sum(s => s.Increment);
                requests += sum;
                errors += code == "500" ? sum : 0;
            }

            return (requests, errors);
        }

        internal static IEnumerable<(DateTimeOffset Time, double Value)> Samples(string pod, string endpoint, string code) =>
            Series[(pod, endpoint, code)].Select(s => (s.Time, s.Value));

        /// <summary>The samples of one series with the requests each scrape counted (its increment).</summary>
        internal static IReadOnlyList<(DateTimeOffset Time, double Value, long Increment)> Scrapes(string pod, string endpoint, string code) =>
            Series[(pod, endpoint, code)];

        protected override string BuildOpenMetrics()
        {
            var text = new StringBuilder("# TYPE http_requests counter\n");
            foreach (var ((pod, endpoint, code), samples) in Series)
            {
                var version = Pods.Single(p => p.Pod == pod).Version;
                foreach (var (time, value, _) in samples)
                {
                    text.Append(CultureInfo.InvariantCulture, $"http_requests_total{{version=\"{version}\",pod=\"{pod}\",endpoint=\"{endpoint}\",code=\"{code}\"}} {value} {time.ToUnixTimeMilliseconds() / 1000.0:0.000}\n");
                }
            }

            return text.Append("# EOF\n").ToString();
        }

        private static DateTimeOffset Floor(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

        private static Dictionary<(string, string, string), List<(DateTimeOffset, double, long)>> Build()
        {
            var random = new Random(20261205);
            var series = new Dictionary<(string, string, string), List<(DateTimeOffset, double, long)>>();
            foreach (var (version, pod, phase, from) in Pods)
            {
                foreach (var (endpoint, code, rate, appears) in new[] { ("/pay", "200", 40, 0.0), ("/pay", "500", 2, 0), ("/rare", "200", 3, 0), ("/rare", "500", 1, pod == "c1" ? 22 : 0) })
                {
                    var list = new List<(DateTimeOffset, double, long)>();
                    long value = 0;
                    var first = Math.Max(from, appears);
                    for (var k = 0; ; k++)
                    {
                        var time = DataStart.AddSeconds(phase + (15 * k));
                        if (time > DataEnd)
                        {
                            break;
                        }

                        if (time < DataStart.AddMinutes(first))
                        {
                            continue;
                        }

                        // A new series' first sample counts what it saw since it appeared (from 0); the first sample of
                        // the data counts nothing before it, since nothing was read before the data starts.
                        long increment = list.Count == 0 && first == 0 ? 0 : random.Next(0, (2 * rate) + 1);
                        if (pod == "c2" && time > DataStart.AddMinutes(20) && time <= DataStart.AddMinutes(20.25))
                        {
                            value = 0; // restarted right after the previous scrape: the counter starts again from 0
                        }

                        value += increment;
                        list.Add((time, value, increment));
                    }

                    series.Add((pod, endpoint, code), list);
                }
            }

            return series;
        }
    }
}

public sealed class ExactCountsOnPrometheusTests(ExactCountsPrometheusTests.CounterServer server, ITestOutputHelper output)
    : ExactCountsPrometheusTests(server, output), IClassFixture<ExactCountsPrometheusTests.CounterServer>
{
    [PrometheusFact]
    public async Task SimulatedIncrease_EqualsPrometheusIncrease()
    {
        var compared = await CompareIncreaseAsync((answer, evaluated) =>
        {
            var samples = CounterServer.Samples(answer["pod"], answer["endpoint"], answer["code"])
                .Where(s => s.Time > evaluated.AddSeconds(-60) && s.Time <= evaluated)
                .ToList();

            // Prometheus 2 (installed) and 3 differ only where the zero point of a young counter bounds the extrapolation.
            if (samples.Count < 3 || samples[0].Value < samples[^1].Value - samples[0].Value)
            {
                return false;
            }

            var origin = evaluated.AddSeconds(-60);
            var ours = PrometheusIncrease.Of(
                [.. samples.Select(s => (s.Time - origin).TotalSeconds)],
                [.. samples.Select(s => s.Value)],
                0,
                60);
            Assert.Equal(answer.Value, ours, 9);
            return true;
        });

        Assert.True(compared > 100, $"only {compared} series-looks compared");
    }
}

/// <summary>The same counter series in VictoriaMetrics, where <c>increase()</c> is MetricsQL's.</summary>
[OnEngine(PrometheusApiEngine.VictoriaMetrics)]
public sealed class ExactCountsOnVictoriaMetricsTests(ExactCountsOnVictoriaMetricsTests.VictoriaMetricsCounterServer server, ITestOutputHelper output)
    : ExactCountsPrometheusTests(server, output), IClassFixture<ExactCountsOnVictoriaMetricsTests.VictoriaMetricsCounterServer>
{
    /// <summary>
    /// MetricsQL's <c>increase(m[60s])</c> does not extrapolate: for a series with a sample at or before the window's start it
    /// is exactly the requests scraped inside the window (a restart's drop counted from 0), where Prometheus' is an estimate.
    /// </summary>
    [PrometheusFact]
    public async Task Increase_IsTheExactScrapedIncrementInTheWindow()
    {
        var compared = await CompareIncreaseAsync((answer, evaluated) =>
        {
            var scrapes = CounterServer.Scrapes(answer["pod"], answer["endpoint"], answer["code"]);
            if (scrapes[0].Time > evaluated.AddSeconds(-60))
            {
                return false; // born inside the window: MetricsQL guesses whether it started from 0
            }

            var truth = scrapes.Where(s => s.Time > evaluated.AddSeconds(-60) && s.Time <= evaluated).Sum(s => s.Increment);
            Assert.Equal(truth, answer.Value);
            return true;
        });

        Assert.True(compared > 100, $"only {compared} series-looks compared");
    }

    public sealed class VictoriaMetricsCounterServer : CounterServer
    {
        public override PrometheusApiEngine Engine => PrometheusApiEngine.VictoriaMetrics;
    }
}
