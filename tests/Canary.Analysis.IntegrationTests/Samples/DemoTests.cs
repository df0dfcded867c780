using Canary.Analysis.Analysis;
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
    // The seed only orders the requests: the counts per endpoint and version, hence the decisions, do not depend on it.
    [Theory]
    [InlineData(42)]
    [InlineData(7)]
    public async Task LiveDemo_CanaryFailingOnPay_RolledBackBySequentialCheckWithinFailFastStepNamingPay(int seed)
    {
        using var output = new StringWriter();
        var result = await LiveDemo.RunAsync(new LiveDemoOptions { Seed = seed }, output);

        Assert.True(result.Decision.Action == RolloutAction.Rollback, output.ToString());
        Assert.Equal(0, result.Decision.Weight);
        Assert.Contains("error-rate: ", result.Decision.Reason, StringComparison.Ordinal);
        Assert.Contains("/api/pay", result.Decision.Reason, StringComparison.Ordinal);
        Assert.InRange(result.Simulated, TimeSpan.FromMinutes(1), LiveDemo.FailFastWindow); // caught inside the 5 % step

        // The deciding look: the sequential test crossed /api/pay's boundary (and no other endpoint's) while the
        // floor still lacked the 50 requests it needs to judge /api/pay, and the plain aggregate passed.
        var evidence = Assert.IsType<DecidingEvidence>(result.Evidence);
        Assert.Equal("fail-fast", evidence.Step);
        Assert.Equal(SequentialErrorRateCheck.CheckName, evidence.ErrorRate.Name);
        Assert.Equal(Verdict.Fail, evidence.ErrorRate.Verdict);
        var crossed = Assert.Single(evidence.ErrorRate.Endpoints, e => e.Status == EndpointStatus.LimitBreached);
        Assert.Equal("/api/pay", crossed.Endpoint);
        Assert.True(crossed.Contribution >= 1, "the e-value reached its boundary 1/α");
        Assert.True(crossed.EvidenceValue >= crossed.EvidenceBoundary, "the row's evidence reached its boundary");
        Assert.Null(crossed.Limit); // compared with its baseline: no rate limit, never the e-value boundary
        Assert.InRange(crossed.Value, 0.6, 0.85);
        Assert.InRange(crossed.BaselineValue, 0.99, 1.0);
        Assert.Equal(Verdict.Inconclusive, evidence.Floor.Verdict);
        Assert.Equal(EndpointStatus.Insufficient, Assert.Single(evidence.Floor.Endpoints, e => e.Endpoint == "/api/pay").Status);
        Assert.Equal(Verdict.Pass, evidence.Aggregate.Verdict);

        // Traffic respected the weight: exactly 5 % of the requests went to the canary.
        Assert.Equal(CanaryShare.Routed(5), result.Shares[5]);
        Assert.Equal(result.Requests / 20, result.CanaryRequests);

        // The linter ran first: behind a traffic router no weight is unreachable, but 23 minutes of analysis is short.
        Assert.DoesNotContain(result.Lint, f => f.Severity == LintSeverity.Error);
        Assert.Contains(result.Lint, f => f.Id == "CNY004");

        var text = output.ToString();
        Assert.Contains("CNY004 Warning: ", text, StringComparison.Ordinal);
        Assert.Contains("error-rate Inconclusive, success-rate Inconclusive: No regression seen so far", text, StringComparison.Ordinal);
        Assert.Contains("error-rate Fail, success-rate Inconclusive: /api/pay: canary errors", text, StringComparison.Ordinal);
        Assert.Contains("Decision: ROLLBACK", text, StringComparison.Ordinal);
        Assert.Matches(@"/api/pay +40 % +\S+ % \(n=\d+\) +\S+ % \(n=\d+\) +\S+ +\S+  LimitBreached", text);
        Assert.Contains("error-rate (sequential, per endpoint):             Fail", text, StringComparison.Ordinal);
        Assert.Contains("plain aggregate (what a single PromQL ratio sees): Pass", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveDemo_HealthyCanary_PromotedWithBothChecksPassing()
    {
        using var output = new StringWriter();
        var result = await LiveDemo.RunAsync(new LiveDemoOptions { Healthy = true }, output);

        Assert.True(result.Decision.Action == RolloutAction.Promote, output.ToString());
        Assert.Equal(100, result.Decision.Weight);
        Assert.Equal(TimeSpan.FromMinutes(23), result.Simulated); // 13 fail-fast looks, then 10 soak looks
        Assert.Empty(result.Decision.Overrides);

        var evidence = Assert.IsType<DecidingEvidence>(result.Evidence);
        Assert.Equal("soak", evidence.Step);
        Assert.Equal(Verdict.Pass, evidence.ErrorRate.Verdict);
        Assert.Equal(Verdict.Pass, evidence.Floor.Verdict);
        Assert.All(evidence.ErrorRate.Endpoints, e => Assert.Equal(EndpointStatus.Judged, e.Status));
        Assert.All(evidence.Floor.Endpoints, e => Assert.Equal(EndpointStatus.Judged, e.Status));
        Assert.Equal(CanaryShare.Routed(10), result.Shares[10]);

        var text = output.ToString();
        Assert.Contains("analysis 'fail-fast' weight   5 %  Advance   error-rate Pass, success-rate Pass", text, StringComparison.Ordinal);
        Assert.Contains("Decision: PROMOTE", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveDemo_FourReplicas_DrivesTheCanaryWithThePodShareNotTheAskedWeight()
    {
        using var output = new StringWriter();
        var result = await LiveDemo.RunAsync(new LiveDemoOptions { Replicas = 4 }, output);

        // 5 % on 4 replicas is 1 canary pod beside 4 stable ones: the canary gets 20 % of the requests.
        Assert.Equal(new CanaryShare(1, 5), result.Shares[5]);
        Assert.Equal(result.Requests / 5, result.CanaryRequests);
        Assert.Contains("asked 5 %, got 20 % with 4 replicas (1 canary, 4 stable)", output.ToString(), StringComparison.Ordinal);

        // The linter says so before the run, and the faulty canary is still rolled back on /api/pay.
        Assert.Contains(result.Lint, f => f.Id == "CNY007" && f.Severity == LintSeverity.Error && f.StepIndex == 0);
        Assert.True(result.Decision.Action == RolloutAction.Rollback, output.ToString());
        Assert.Contains("/api/pay", result.Decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveDemo_SkipAnalysis_PromotedWithTheSkipOnRecord()
    {
        using var output = new StringWriter();
        var skip = new ManualCommand(ManualAction.SkipAnalysis, "alice", "urgent fix: CVE-2026-1234");
        var result = await LiveDemo.RunAsync(new LiveDemoOptions { Manual = skip }, output);

        Assert.True(result.Decision.Action == RolloutAction.Promote, output.ToString());
        Assert.True(result.Decision.State.AnalysisSkipped);
        var record = Assert.Single(result.Decision.Overrides);
        Assert.Equal((ManualAction.SkipAnalysis, "alice", "urgent fix: CVE-2026-1234", LiveDemo.Start), (record.Action, record.By, record.Reason, record.At));
        Assert.Contains("skipped (alice: urgent fix: CVE-2026-1234)", result.Decision.Reason, StringComparison.Ordinal);
        Assert.Null(result.Evidence); // nothing judged this release

        var text = output.ToString();
        Assert.Contains("12:00  manual command: SkipAnalysis by alice: \"urgent fix: CVE-2026-1234\"", text, StringComparison.Ordinal);
        Assert.Contains("[analysis skipped by alice]", text, StringComparison.Ordinal);
        Assert.Contains("Manual commands, recorded in the rollout state", text, StringComparison.Ordinal);
        Assert.Contains("12:00  SkipAnalysis by alice at step 2: \"urgent fix: CVE-2026-1234\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveDemo_PromoteNow_PromotedAtOnceOnRecord()
    {
        using var output = new StringWriter();
        var promote = new ManualCommand(ManualAction.Promote, "bob", "hotfix verified in staging");
        var result = await LiveDemo.RunAsync(new LiveDemoOptions { Healthy = true, Manual = promote }, output);

        Assert.Equal(RolloutAction.Promote, result.Decision.Action);
        Assert.Equal(TimeSpan.Zero, result.Simulated);
        Assert.Equal("Promoted by bob: hotfix verified in staging", result.Decision.Reason);
        Assert.Equal(ManualAction.Promote, Assert.Single(result.Decision.Overrides).Action);
        Assert.Contains("12:00  Promote by bob at step 2: \"hotfix verified in staging\"", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadGenerator_AnySeed_SendsTheCanaryExactlyItsShareOfEveryEndpoint()
    {
        var address = new Uri("http://127.0.0.1:1/");
        foreach (var share in new[] { CanaryShare.Routed(5), CanaryShare.Routed(10), new CanaryShare(1, 5) })
        {
            for (var seed = 0; seed < 50; seed++)
            {
                using var load = new LoadGenerator(address, address, seed);
                for (var minute = 0; minute < 13; minute++)
                {
                    var plan = load.PlanMinute(share);
                    foreach (var (path, perMinute) in LoadGenerator.Mix)
                    {
                        Assert.Equal(perMinute * share.Canary / share.Total, plan.Count(r => r.Path == path && r.ToCanary));
                    }
                }
            }
        }
    }

    [Fact]
    public void CommandLine_LiveOptions_Parsed()
    {
        var command = DemoCommandLine.Parse(["--healthy", "--replicas", "4", "--skip-analysis", "urgent fix: CVE-2026-1234", "--by", "alice"], "root");

        Assert.False(command.Recorded);
        Assert.True(command.Live.Healthy);
        Assert.Equal(4, command.Live.Replicas);
        Assert.Equal(new ManualCommand(ManualAction.SkipAnalysis, "alice", "urgent fix: CVE-2026-1234"), command.Live.Manual);
        Assert.Equal("root", DemoCommandLine.Parse(["--promote-now", "hotfix"], "root").Live.Manual?.By);

        var recorded = DemoCommandLine.Parse(["--recorded", "file.json"], "root");
        Assert.True(recorded.Recorded);
        Assert.Equal("file.json", recorded.Recording);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--replicas", "0")]
    [InlineData("--replicas")]
    [InlineData("--skip-analysis", "a", "--promote-now", "b")]
    [InlineData("--by", "alice")]
    [InlineData("--recorded", "--healthy")]
    public void CommandLine_InvalidOptions_Rejected(params string[] args) =>
        Assert.Throws<FormatException>(() => DemoCommandLine.Parse(args, "root"));

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
