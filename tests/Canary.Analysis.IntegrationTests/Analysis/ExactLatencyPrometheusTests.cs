using System.Globalization;
using System.Text;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.IntegrationTests.Analysis;

/// <summary>
/// The latency counts <see cref="SequentialLatencyCheck"/> sees, read from a real Prometheus holding known histogram series
/// scraped every 15 s (two canary pods with different scrape phases, one restarting mid-way, and a baseline pod, each with
/// buckets le 0.1, 0.5 and +Inf): on a jittered sub-second timer every window's buckets equal the increments of the scrapes
/// inside it exactly (the new exact histogram path of <see cref="PrometheusTrafficSource"/>), the windows tile, the check's
/// slow and total counts are the truth, and the baseline's p99 bucket is chosen from the hour before the first window.
/// </summary>
public sealed class ExactLatencyPrometheusTests(ExactLatencyPrometheusTests.HistogramServer server)
    : IClassFixture<ExactLatencyPrometheusTests.HistogramServer>, IDisposable
{
    private static readonly DateTimeOffset DataStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset CanaryStart = DataStart.AddMinutes(70);
    private static readonly DateTimeOffset DataEnd = DataStart.AddMinutes(100);
    private static readonly LabelSelector Canary = LabelSelector.Parse("version=\"canary\"");
    private static readonly LabelSelector Baseline = LabelSelector.Parse("version=\"baseline\"");

    private readonly PrometheusMetricProvider _provider = new(new PrometheusOptions { Address = server.Address });

    public void Dispose() => _provider.Dispose();

    [PrometheusFact]
    public async Task ExactHistogramReads_EqualTheScrapedTruth_AtJitteredLooks()
    {
        var source = new PrometheusTrafficSource(_provider, TrafficConvention.PrometheusNet);
        var start = CanaryStart;
        foreach (var look in Looks(seed: 5))
        {
            foreach (var version in new[] { "canary", "baseline" })
            {
                var selector = version == "canary" ? Canary : Baseline;
                var snapshot = await source.ReadAsync(new TrafficQuery(selector, look, look - start) { IncludeLatency = true, Counting = TrafficCounting.CounterDifference });
                Assert.True(snapshot.IsComplete, string.Join("; ", snapshot.Gaps));
                foreach (var endpoint in HistogramServer.Endpoints)
                {
                    var truth = HistogramServer.Truth(version, endpoint, start, look);
                    var histogram = snapshot.Endpoints.GetValueOrDefault(endpoint)?.Latency;
                    Assert.Equal(truth.Requests, histogram?.Count ?? 0);
                    Assert.Equal(truth.Slow, histogram?.CountAbove(0.5) ?? 0);
                    Assert.Equal(truth.Slow + truth.Middle, histogram?.CountAbove(0.1) ?? 0);
                }
            }

            start = look;
        }
    }

    [PrometheusFact]
    public async Task Check_CountsTheTrueSlowRequests_ChoosesTheBoundFromTheBaselineHourBefore_AndCatchesTheSlowCanary()
    {
        var source = new PrometheusTrafficSource(_provider, TrafficConvention.PrometheusNet);
        var check = new SequentialLatencyCheck(source, Canary, Baseline, TimeSpan.FromMinutes(1), new SequentialLatencyCriteria { MinimumBaselineRequests = 100 });
        var looks = Looks(seed: 11);
        CheckResult? result = null;
        foreach (var look in looks)
        {
            result = await check.MeasureAsync(look);
        }

        // The baseline's hour before the first window puts its p99 in the (0.1, 0.5] bucket: slow is > 0.5 s, fixed then.
        var first = looks[0] - TimeSpan.FromMinutes(1);
        Assert.All(check.Evidence.Bounds, b => Assert.Equal((0.5, first), (b.UpperBound, b.ChosenAt)));
        Assert.Equal(HistogramServer.Endpoints.Order(StringComparer.Ordinal), check.Evidence.Bounds.Select(b => b.Endpoint).Order(StringComparer.Ordinal));

        foreach (var endpoint in check.Evidence.Test.Endpoints)
        {
            var canary = HistogramServer.Truth("canary", endpoint.Endpoint, first, looks[^1]);
            var baseline = HistogramServer.Truth("baseline", endpoint.Endpoint, first, looks[^1]);
            Assert.Equal((canary.Requests, canary.Slow), (endpoint.CanaryRequests, endpoint.CanaryErrors));
            Assert.Equal((baseline.Requests, baseline.Slow), (endpoint.BaselineRequests, endpoint.BaselineErrors));
        }

        // /pay's canary is slow 10 % of the time against the baseline's 1 %.
        Assert.Equal(Verdict.Fail, result!.Verdict);
        Assert.StartsWith("/pay: canary slow requests", result.Reason, StringComparison.Ordinal);
    }

    private static List<DateTimeOffset> Looks(int seed) => JitteredLooks.From(CanaryStart.AddMinutes(1).AddTicks(2_712_345), DataEnd.AddMinutes(-1), seed);

    /// <summary>
    /// Histogram series scraped every 15 s for 100 minutes: baseline pod b1 (phase 11.875 s) all along; canary pods c1
    /// (phase 0) and c2 (phase 7.25 s, restarting at minute 85: its next scrape holds only what it counted since) from minute
    /// 70. Endpoints /pay and /rare; per scrape seeded counts of fast (≤ 0.1 s), middle and slow (&gt; 0.5 s) requests: the
    /// baseline slow 1 % and middle 20 % on average, the canary's /pay slow 10 %.
    /// </summary>
    public sealed class HistogramServer : OpenMetricsPrometheusFixture
    {
        internal static readonly string[] Endpoints = ["/pay", "/rare"];

        private static readonly (string Version, string Pod, double Phase, double From)[] Pods =
            [("canary", "c1", 0, 70), ("canary", "c2", 7.25, 70), ("baseline", "b1", 11.875, 0)];

        private static readonly Dictionary<(string Pod, string Endpoint), List<(DateTimeOffset Time, long Fast, long Middle, long Slow, long IncFast, long IncMiddle, long IncSlow)>> Series = Build();

        protected override DateTimeOffset ReadinessTime => DataEnd;

        protected override string ReadinessQuery => "count(http_request_duration_seconds_bucket)";

        /// <summary>The requests (all, in (0.1, 0.5], above 0.5) whose scrapes fall in (start, end] on Prometheus' millisecond grid.</summary>
        internal static (long Requests, long Middle, long Slow) Truth(string version, string endpoint, DateTimeOffset start, DateTimeOffset end)
        {
            (start, end) = (Floor(start), Floor(end));
            long requests = 0, middle = 0, slow = 0;
            foreach (var ((pod, e), samples) in Series)
            {
                if (e == endpoint && Pods.Single(p => p.Pod == pod).Version == version)
                {
                    foreach (var s in samples.Where(s => s.Time > start && s.Time <= end))
                    {
                        (requests, middle, slow) = (requests + s.IncFast + s.IncMiddle + s.IncSlow, middle + s.IncMiddle, slow + s.IncSlow);
                    }
                }
            }

            return (requests, middle, slow);
        }

        protected override string BuildOpenMetrics()
        {
            var text = new StringBuilder("# TYPE http_request_duration_seconds histogram\n");
            foreach (var ((pod, endpoint), samples) in Series)
            {
                var labels = $"version=\"{Pods.Single(p => p.Pod == pod).Version}\",pod=\"{pod}\",endpoint=\"{endpoint}\",code=\"200\"";
                foreach (var (le, value) in new (string, Func<long, long, long, long>)[] { ("0.1", (f, _, _) => f), ("0.5", (f, m, _) => f + m), ("+Inf", (f, m, s) => f + m + s) })
                {
                    foreach (var sample in samples)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {value(sample.Fast, sample.Middle, sample.Slow)} {Seconds(sample.Time)}\n");
                    }
                }

                foreach (var sample in samples)
                {
                    text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_sum{{{labels}}} {(0.05 * sample.Fast) + (0.3 * sample.Middle) + (0.8 * sample.Slow)} {Seconds(sample.Time)}\n");
                }

                foreach (var sample in samples)
                {
                    text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_count{{{labels}}} {sample.Fast + sample.Middle + sample.Slow} {Seconds(sample.Time)}\n");
                }
            }

            return text.Append("# EOF\n").ToString();
        }

        private static string Seconds(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

        private static DateTimeOffset Floor(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

        private static Dictionary<(string Pod, string Endpoint), List<(DateTimeOffset, long, long, long, long, long, long)>> Build()
        {
            var random = new Random(20261206);
            var series = new Dictionary<(string Pod, string Endpoint), List<(DateTimeOffset, long, long, long, long, long, long)>>();
            foreach (var (version, pod, phase, from) in Pods)
            {
                foreach (var endpoint in Endpoints)
                {
                    var list = new List<(DateTimeOffset, long, long, long, long, long, long)>();
                    long fast = 0, middle = 0, slow = 0;
                    var rate = endpoint == "/pay" ? 40 : 3;
                    var slowShare = version == "canary" && endpoint == "/pay" ? 0.10 : 0.01;
                    for (var t = DataStart.AddMinutes(from).AddSeconds(phase); t < DataEnd; t = t.AddSeconds(15))
                    {
                        if (pod == "c2" && t >= DataStart.AddMinutes(85) && t < DataStart.AddMinutes(85).AddSeconds(15))
                        {
                            (fast, middle, slow) = (0, 0, 0);
                        }

                        var n = random.Next(0, (2 * rate) + 1);
                        long incSlow = 0, incMiddle = 0;
                        for (var i = 0; i < n; i++)
                        {
                            var u = random.NextDouble();
                            incSlow += u < slowShare ? 1 : 0;
                            incMiddle += u >= slowShare && u < slowShare + 0.2 ? 1 : 0;
                        }

                        var incFast = n - incSlow - incMiddle;
                        (fast, middle, slow) = (fast + incFast, middle + incMiddle, slow + incSlow);
                        list.Add((t, fast, middle, slow, incFast, incMiddle, incSlow));
                    }

                    series.Add((pod, endpoint), list);
                }
            }

            return series;
        }
    }
}
