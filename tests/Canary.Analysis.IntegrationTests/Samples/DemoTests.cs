using Canary.Analysis.Demo;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;

namespace Canary.Analysis.IntegrationTests.Samples;

/// <summary>
/// Proof of the README's first command: the demo's core runs in-process exactly as <c>dotnet run --project
/// samples/Canary.Analysis.Demo</c> runs it (live services on 127.0.0.1, real HTTP, real scrapes, accelerated time).
/// </summary>
public sealed class DemoTests
{

    [Fact]
    public async Task LiveDemo_CanaryFailingOnPay_RolledBackWithinFailFastStepNamingPay()
    {
        using var output = new StringWriter();
        var result = await LiveDemo.RunAsync(new LiveDemoOptions(), output);

        Assert.True(result.Decision.Action == RolloutAction.Rollback, output.ToString());
        Assert.Contains("/api/pay", result.Decision.Reason, StringComparison.Ordinal);
        Assert.Equal(0, result.Decision.Weight);
        Assert.InRange(result.Simulated, TimeSpan.FromMinutes(1), LiveDemo.FailFastWindow); // caught inside the 5 % step

        // The deciding look's evidence: /api/pay judged and failing on the canary, healthy on the baseline,
        // while the plain aggregate of the same canary traffic passes.
        var evidence = Assert.IsType<CheckResult>(result.Evidence);
        Assert.Equal(Verdict.Fail, evidence.Verdict);
        var pay = Assert.Single(evidence.Endpoints, e => e.Endpoint == "/api/pay");
        Assert.Equal(EndpointStatus.Judged, pay.Status);
        Assert.InRange(pay.Value, 0.6, 0.8);
        Assert.InRange(result.Baseline!.Endpoints["/api/pay"].SuccessRate, 0.99, 1.0);
        Assert.Equal(Verdict.Pass, result.Aggregate!.Verdict);

        // Traffic respected the weight: exactly 5 % of the requests went to the canary.
        Assert.Equal(result.Requests / 20, result.CanaryRequests);

        var text = output.ToString();
        Assert.Contains("Decision: ROLLBACK", text, StringComparison.Ordinal);
        Assert.Contains("Inconclusive: Not enough evidence: ", text, StringComparison.Ordinal);
        Assert.Contains("/api/pay           40 %", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveDemo_HealthyCanary_Promoted()
    {
        using var output = new StringWriter();
        var result = await LiveDemo.RunAsync(new LiveDemoOptions { Healthy = true }, output);

        Assert.True(result.Decision.Action == RolloutAction.Promote, output.ToString());
        Assert.Equal(100, result.Decision.Weight);
        Assert.Equal(TimeSpan.FromMinutes(23), result.Simulated); // 13 fail-fast looks, then 10 soak looks
        Assert.Equal(Verdict.Pass, result.Evidence!.Verdict);
        Assert.All(result.Evidence.Endpoints, e => Assert.Equal(EndpointStatus.Judged, e.Status));
        Assert.Contains("Decision: PROMOTE", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordedDemo_BundledRecording_FailsOnPayWhileTheAggregatePasses()
    {
        using var output = new StringWriter();
        var verdict = await RecordedDemo.RunAsync(null, output);

        Assert.Equal(Verdict.Fail, verdict);
        var text = output.ToString();
        Assert.Contains("most lost on /api/pay", text, StringComparison.Ordinal);
        Assert.Contains("plain aggregate (what a single PromQL ratio sees): Pass", text, StringComparison.Ordinal);
    }
}
