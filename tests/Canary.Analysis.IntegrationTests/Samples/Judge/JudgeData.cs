using System.Globalization;
using System.Text;
using Canary.Analysis.IntegrationTests.Infrastructure;

namespace Canary.Analysis.IntegrationTests.Samples.Judge;

/// <summary>
/// A real Prometheus holding 40 minutes of prometheus-net request histograms scraped every 15 s, in namespace <c>shop</c>: a
/// baseline <c>stable</c> (0.4 % errors), a healthy canary <c>good</c> (the same rates) and a failing canary <c>bad</c> (25 %
/// errors on <c>/api/pay</c>); and in namespace <c>staging</c> a <c>good</c> that fails half its requests, so only a judge
/// that selects the namespace passes <c>good</c>. Counts are deterministic (no sampling): errors accrue at a fixed rate.
/// </summary>
public sealed class JudgeData : OpenMetricsPrometheusFixture
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset End = Start.AddMinutes(40);

    private static readonly (string Namespace, string Version, string Endpoint, int RequestsPerScrape, double ErrorsPerScrape)[] Streams =
    [
        ("shop", "stable", "/api/pay", 200, 0.8), ("shop", "stable", "/api/search", 400, 1.6),
        ("shop", "good", "/api/pay", 100, 0.4), ("shop", "good", "/api/search", 200, 0.8),
        ("shop", "bad", "/api/pay", 100, 25), ("shop", "bad", "/api/search", 200, 0.8),
        ("staging", "good", "/api/pay", 100, 50), ("staging", "good", "/api/search", 200, 100),
    ];

    protected override DateTimeOffset ReadinessTime => End;

    protected override string ReadinessQuery => "count(http_request_duration_seconds_count)";

    /// <summary>A policy document (the README's checkout policy, prometheus-net's convention) reading this server.</summary>
    public string Policy(string name = "checkout") => $$"""
        apiVersion: canary-analysis/v1
        kind: CanaryPolicy
        metadata:
          name: {{name}}
        source:
          prometheus:
            address: {{Address}}
          convention: prometheus-net
        canary: 'version="canary"'
        baseline: 'version="stable"'
        weights:
          endpoints:
            /api/pay: 0.4
            /api/search: 0.2
          default: 0.02
        checks:
          error-rate:
            kind: sequential-error-rate
            alpha: 0.05
          success-rate:
            kind: success-rate
            minimumSuccessRate: 0.95
            minimumRequestsPerEndpoint: 50
            window: 15m
        steps:
          - setWeight: 5
          - analysis: { name: fail-fast, failFast: true, interval: 1m, duration: 13m, checks: [error-rate, success-rate] }
          - setWeight: 10
          - analysis: { name: soak, interval: 1m, duration: 24h, checks: [error-rate, success-rate] }
        """;

    protected override string BuildOpenMetrics()
    {
        var text = new StringBuilder("# TYPE http_request_duration_seconds histogram\n");
        foreach (var (ns, version, endpoint, requests, errorsPerScrape) in Streams)
        {
            foreach (var code in new[] { "200", "500" })
            {
                var labels = $"namespace=\"{ns}\",version=\"{version}\",pod=\"{version}-0\",endpoint=\"{endpoint}\",code=\"{code}\"";
                var counts = Enumerable.Range(0, 161).Select(k =>
                {
                    var errors = Math.Floor(k * errorsPerScrape);
                    return code == "500" ? errors : (k * (double)requests) - errors;
                }).ToList();
                foreach (var (suffix, factor) in new[] { ("_bucket{" + labels + ",le=\"0.1\"}", 1.0), ("_bucket{" + labels + ",le=\"+Inf\"}", 1.0), ("_sum{" + labels + "}", 0.05), ("_count{" + labels + "}", 1.0) })
                {
                    for (var k = 0; k < counts.Count; k++)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds{suffix} {counts[k] * factor} {Start.AddSeconds(15 * k).ToUnixTimeSeconds()}\n");
                    }
                }
            }
        }

        return text.Append("# EOF\n").ToString();
    }
}
