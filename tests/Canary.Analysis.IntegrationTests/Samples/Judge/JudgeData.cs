using System.Text;
using Canary.Analysis.IntegrationTests.Infrastructure;

namespace Canary.Analysis.IntegrationTests.Samples.Judge;

/// <summary>
/// A real Prometheus holding 40 minutes of express-prom-bundle request histograms (every request 40 ms) scraped every 15 s, in namespace <c>shop</c>: a
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

    /// <summary>
    /// The README's policy document, <c>samples/policies/checkout.yaml</c> (express-prom-bundle's convention; error-rate,
    /// success-rate and latency checks), as it is but for the Prometheus address, which names this server.
    /// </summary>
    public string Policy(string name = "checkout", Uri? address = null) => CheckoutPolicyFile.Read(address ?? Address, name);

    protected override string BuildOpenMetrics()
    {
        var text = new StringBuilder(ExpressHistograms.Header);
        foreach (var (ns, version, endpoint, requests, errorsPerScrape) in Streams)
        {
            ExpressHistograms.Append(text, $"namespace=\"{ns}\",version=\"{version}\",pod=\"{version}-0\"", endpoint, requests, errorsPerScrape, Start, 161);
        }

        return text.Append("# EOF\n").ToString();
    }
}
