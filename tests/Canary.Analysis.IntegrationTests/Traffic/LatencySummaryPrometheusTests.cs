using System.Globalization;
using System.Text;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.IntegrationTests.Traffic;

/// <summary>Latency summaries (pre-computed quantiles) read by the library against Prometheus' own answers.</summary>
public sealed class LatencySummaryPrometheusTests(LatencySummaryPrometheusTests.SummaryServer server) : IClassFixture<LatencySummaryPrometheusTests.SummaryServer>
{
    private static readonly DateTimeOffset End = new(2026, 1, 1, 0, 30, 0, TimeSpan.Zero);

    private static readonly TrafficConvention Convention = new()
    {
        Name = "rpc-summary",
        RequestCountMetric = "rpc_duration_milliseconds_count",
        EndpointLabel = "method",
        StatusLabel = "code",
        LatencySummaryMetric = "rpc_duration_milliseconds",
        LatencyUnit = LatencyUnit.Milliseconds,
    };

    [PrometheusFact]
    public async Task ReadAsync_Summary_QuantilesAreTheSlowestPods_MeanIsSumOverCount_InSeconds()
    {
        using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = server.Address });
        var snapshot = await new PrometheusTrafficSource(provider, Convention)
            .ReadAsync(new TrafficQuery(LabelSelector.Parse("version=\"canary\""), End, TimeSpan.FromMinutes(10)) { IncludeLatency = true });

        var quantiles = await server.Client.QueryAsync("max by (method, quantile) (rpc_duration_milliseconds{version=\"canary\"})", End);
        var means = await server.Client.QueryAsync(
            "sum by (method) (increase(rpc_duration_milliseconds_sum{version=\"canary\"}[600s])) / sum by (method) (increase(rpc_duration_milliseconds_count{version=\"canary\"}[600s]))", End);

        Assert.Equal(2, snapshot.Endpoints.Count);
        Assert.Equal(6, quantiles.Count);
        foreach (var sample in quantiles)
        {
            var q = double.Parse(sample["quantile"], CultureInfo.InvariantCulture);
            Close.Equal(sample.Value / 1000, snapshot.Endpoints[sample["method"]].LatencySummary!.Quantile(q), what: $"{sample["method"]} q{q}");
        }

        foreach (var sample in means)
        {
            Close.Equal(sample.Value / 1000, snapshot.Endpoints[sample["method"]].LatencySummary!.Mean, what: $"{sample["method"]} mean");
        }

        Assert.Null(snapshot.Endpoints["Get"].Latency);
    }

    /// <summary>Two canary pods and a baseline pod exporting a prom-client style summary every 15 s for 30 minutes.</summary>
    public sealed class SummaryServer : OpenMetricsPrometheusFixture
    {
        protected override DateTimeOffset ReadinessTime => End;

        protected override string ReadinessQuery => "count(rpc_duration_milliseconds)";

        protected override string BuildOpenMetrics()
        {
            var text = new StringBuilder("# TYPE rpc_duration_milliseconds summary\n");
            var start = End.AddMinutes(-30).ToUnixTimeSeconds();
            var pods = new[] { ("canary", "c1", 1.0), ("canary", "c2", 1.5), ("baseline", "b1", 1.0) };
            var methods = new[] { ("Get", 20.0), ("Put", 80.0) };
            foreach (var (version, pod, slowness) in pods)
            {
                foreach (var (method, median) in methods)
                {
                    var labels = $"method=\"{method}\",pod=\"{pod}\",version=\"{version}\",code=\"OK\"";
                    for (var i = 0; i <= 120; i++)
                    {
                        var t = start + (i * 15);
                        foreach (var (q, factor) in new[] { ("0.5", 1.0), ("0.9", 2.0), ("0.99", 4.0) })
                        {
                            text.Append(CultureInfo.InvariantCulture, $"rpc_duration_milliseconds{{{labels},quantile=\"{q}\"}} {median * factor * slowness * (1 + (0.001 * i))} {t}\n");
                        }

                        text.Append(CultureInfo.InvariantCulture, $"rpc_duration_milliseconds_sum{{{labels}}} {i * 10 * median * slowness} {t}\n");
                        text.Append(CultureInfo.InvariantCulture, $"rpc_duration_milliseconds_count{{{labels}}} {i * 10} {t}\n");
                    }
                }
            }

            return text.Append("# EOF\n").ToString();
        }
    }
}
