using System.Globalization;
using System.Text;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.IntegrationTests.Traffic;

/// <summary>
/// <see cref="LatencyHistogram.Quantile"/> against Prometheus' own <c>histogram_quantile</c> on the same buckets,
/// for ordinary histograms and every edge case Prometheus handles specially.
/// </summary>
public sealed class LatencyHistogramPrometheusTests(LatencyHistogramPrometheusTests.EdgeCaseServer server) : IClassFixture<LatencyHistogramPrometheusTests.EdgeCaseServer>
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 10, 0, TimeSpan.Zero);

    /// <summary>Each case: a name and its buckets as (le label text, cumulative count).</summary>
    private static readonly (string Name, (string Le, double Count)[] Buckets)[] Cases =
    [
        ("ordinary", [("0.1", 10), ("0.5", 30), ("1", 45), ("+Inf", 50)]),
        ("rank_in_inf_bucket", [("0.1", 1), ("1", 2), ("+Inf", 100)]),
        ("first_bound_zero", [("0", 5), ("1", 10), ("+Inf", 10)]),
        ("negative_bounds", [("-1", 2), ("-0.5", 4), ("0", 6), ("1", 10), ("+Inf", 10)]),
        ("duplicate_bounds", [("0.5", 3), ("0.50", 2), ("1", 8), ("1.0", 1), ("+Inf", 12)]),
        ("non_monotonic", [("0.1", 10), ("0.5", 8), ("1", 12), ("2", 11), ("+Inf", 12)]),
        ("zero_observations", [("0.1", 0), ("1", 0), ("+Inf", 0)]),
        ("no_inf_bucket", [("0.1", 1), ("1", 2)]),
        ("only_inf_bucket", [("+Inf", 7)]),
        ("fractional_counts", [("0.1", 2.5), ("0.2", 7.25), ("0.4", 7.25), ("+Inf", 9.75)]),
        ("empty_low_buckets", [("0.001", 0), ("0.002", 0), ("0.004", 3), ("+Inf", 3)]),
        ("prometheus_net_buckets", BuildExponential()),
    ];

    public static TheoryData<string, double> QuantileCases()
    {
        var data = new TheoryData<string, double>();
        foreach (var (name, _) in Cases)
        {
            foreach (var q in new[] { 0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1 })
            {
                data.Add(name, q);
            }
        }

        return data;
    }

    [PrometheusTheory]
    [MemberData(nameof(QuantileCases))]
    public async Task Quantile_EqualsHistogramQuantile(string caseName, double q)
    {
        var expected = await server.HistogramQuantileAsync(q.ToString("R", CultureInfo.InvariantCulture), caseName);

        var actual = Histogram(caseName).Quantile(q);

        AssertSame(expected, actual);
    }

    [PrometheusTheory]
    [InlineData("NaN")]
    [InlineData("-0.5")]
    [InlineData("1.5")]
    public async Task Quantile_OutOfRangeQ_EqualsHistogramQuantile(string q)
    {
        foreach (var (name, _) in Cases)
        {
            var expected = await server.HistogramQuantileAsync(q, name);
            AssertSame(expected, Histogram(name).Quantile(double.Parse(q, CultureInfo.InvariantCulture)));
        }
    }

    [PrometheusFact]
    public async Task Merge_EqualsSumByLe()
    {
        // Prometheus adds two cases bucket by bucket (only bounds present in both series sets line up by label text).
        var expected = await server.QueryAsync("histogram_quantile(0.9, sum by (le) (edge_bucket{case=~\"ordinary|fractional_counts\"}))");
        var merged = LatencyHistogram.Merge([Histogram("ordinary"), Histogram("fractional_counts")]);

        AssertSame(expected, merged.Quantile(0.9));
    }

    private static LatencyHistogram Histogram(string name) =>
        new(Cases.Single(c => c.Name == name).Buckets.Select(b => (ParseLe(b.Le), b.Count)));

    private static double ParseLe(string le) => le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);

    private static void AssertSame(double expected, double actual)
    {
        if (double.IsNaN(expected) || double.IsInfinity(expected))
        {
            Assert.Equal(expected, actual);
        }
        else
        {
            Assert.Equal(expected, actual, 1e-12);
        }
    }

    private static (string Le, double Count)[] BuildExponential()
    {
        var random = new Random(7);
        var buckets = new List<(string, double)>();
        double cumulative = 0;
        for (var k = 0; k < 16; k++)
        {
            cumulative += random.Next(0, 40);
            buckets.Add(((0.001 * Math.Pow(2, k)).ToString("R", CultureInfo.InvariantCulture), cumulative));
        }

        buckets.Add(("+Inf", cumulative + 3));
        return [.. buckets];
    }

    /// <summary>One Prometheus holding every case as series <c>edge_bucket{case, le}</c>.</summary>
    public sealed class EdgeCaseServer : OpenMetricsPrometheusFixture
    {
        protected override DateTimeOffset ReadinessTime => At;

        protected override string ReadinessQuery => "count(edge_bucket)";

        public async Task<double> HistogramQuantileAsync(string q, string caseName)
        {
            // Prometheus returns one sample per case, NaN included: an empty answer would be a fixture bug.
            var result = await Client.QueryAsync($"histogram_quantile({q}, edge_bucket{{case=\"{caseName}\"}})", At);
            return Assert.Single(result).Value;
        }

        public async Task<double> QueryAsync(string promql) => Assert.Single(await Client.QueryAsync(promql, At)).Value;

        protected override string BuildOpenMetrics()
        {
            var text = new StringBuilder("# TYPE edge_bucket unknown\n");
            var seconds = At.ToUnixTimeSeconds();
            foreach (var (name, buckets) in Cases.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                foreach (var (le, count) in buckets)
                {
                    foreach (var t in new[] { seconds - 60, seconds })
                    {
                        text.Append(CultureInfo.InvariantCulture, $"edge_bucket{{case=\"{name}\",le=\"{le}\"}} {count.ToString("R", CultureInfo.InvariantCulture)} {t}\n");
                    }
                }
            }

            return text.Append("# EOF\n").ToString();
        }
    }
}
