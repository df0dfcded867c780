using System.Text;
using Canary.Analysis.IntegrationTests.Infrastructure;

namespace Canary.Analysis.IntegrationTests.Samples.Host;

/// <summary>
/// A real Prometheus for the README's policy (<c>samples/policies/checkout.yaml</c>, selectors <c>version="canary"</c> and
/// <c>version="stable"</c>): two hours of a baseline (0.4 % errors), a healthy canary in the first 40 minutes (the same rates),
/// and a failing canary (25 % errors on <c>/api/pay</c>) from <see cref="FailingFrom"/> for 40 minutes, on another pod.
/// </summary>
public sealed class HostCheckoutData : OpenMetricsPrometheusFixture
{
    public static readonly DateTimeOffset HealthyFrom = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset FailingFrom = HealthyFrom.AddHours(1);

    protected override DateTimeOffset ReadinessTime => FailingFrom.AddMinutes(30);

    protected override string ReadinessQuery => "count(http_request_duration_seconds_count{pod=\"canary-b\"})";

    /// <summary>The README's policy document as it is, but for the Prometheus address, which names this server.</summary>
    public string Policy() => CheckoutPolicyFile.Read(Address);

    protected override string BuildOpenMetrics()
    {
        var text = new StringBuilder(ExpressHistograms.Header);
        ExpressHistograms.Append(text, "version=\"stable\",pod=\"stable-0\"", "/api/pay", 200, 0.8, HealthyFrom, 481);
        ExpressHistograms.Append(text, "version=\"stable\",pod=\"stable-0\"", "/api/search", 400, 1.6, HealthyFrom, 481);
        ExpressHistograms.Append(text, "version=\"canary\",pod=\"canary-a\"", "/api/pay", 100, 0.4, HealthyFrom, 161);
        ExpressHistograms.Append(text, "version=\"canary\",pod=\"canary-a\"", "/api/search", 200, 0.8, HealthyFrom, 161);
        ExpressHistograms.Append(text, "version=\"canary\",pod=\"canary-b\"", "/api/pay", 100, 25, FailingFrom, 161);
        ExpressHistograms.Append(text, "version=\"canary\",pod=\"canary-b\"", "/api/search", 200, 0.8, FailingFrom, 161);
        return text.Append("# EOF\n").ToString();
    }
}
