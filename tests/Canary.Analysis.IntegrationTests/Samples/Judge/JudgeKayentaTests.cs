using System.Text.Json.Nodes;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Canary.Analysis.IntegrationTests.Samples.Judge;

/// <summary>
/// The judge answers Argo Rollouts' kayenta provider, its calls replayed exactly (<see cref="ArgoKayentaReplay"/>), on data in
/// a real Prometheus (<see cref="JudgeData"/>): a failing canary scores below the thresholds, a healthy one above, a canary
/// without data is never Successful, and a scope's location selects the namespace.
/// </summary>
public sealed class JudgeKayentaTests(JudgeData data, ITestOutputHelper output) : IClassFixture<JudgeData>
{
    private static readonly DateTimeOffset From = JudgeData.Start.AddMinutes(5);
    private static readonly DateTimeOffset To = JudgeData.Start.AddMinutes(35);

    private static ArgoKayentaMetric Metric(string address, string experiment, string region = "shop", string config = "checkout") =>
        new(address, "checkout", config, "prometheus", "judge", "judge", Pass: 90, Marginal: 75)
        {
            Scopes = [new ArgoKayentaScope("default", "stable", experiment, region, 60, From, To)],
        };

    [PrometheusFact]
    public async Task ArgoKayentaProvider_BadCanary_FailsWithPerCheckAndPerEndpointEvidence_GoodCanary_Succeeds()
    {
        await using var judge = await RunningJudge.StartAsync(new Dictionary<string, string> { ["checkout.yaml"] = data.Policy() }, TimeProvider.System);

        var bad = await ArgoKayentaReplay.MeasureAsync(judge.Client, Metric(judge.Address, "bad"));
        var good = await ArgoKayentaReplay.MeasureAsync(judge.Client, Metric(judge.Address, "good"));
        output.WriteLine($"bad: {bad.LastResponse?["result"]?["judgeResult"]?["score"]}");
        output.WriteLine($"good: {good.LastResponse?["result"]?["judgeResult"]?["score"]}");

        Assert.True(bad.Phase == "Failed", bad.LastResponse?.ToJsonString());
        Assert.Equal("0", bad.Value);
        Assert.True(good.Phase == "Successful", good.LastResponse?.ToJsonString());
        Assert.Equal("100", good.Value);

        var results = bad.LastResponse!["result"]!["judgeResult"]!["results"]!.AsArray();
        Assert.Equal(new[] { "error-rate", "success-rate", "latency" }, results.Select(r => r!["name"]!.GetValue<string>()));
        var errorRate = results[0]!;
        Assert.Equal("Fail", errorRate["verdict"]!.GetValue<string>());
        Assert.Equal("default", errorRate["scope"]!.GetValue<string>());
        Assert.Contains("/api/pay", errorRate["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var pay = errorRate["endpoints"]!.AsArray().Single(e => e!["endpoint"]!.GetValue<string>() == "/api/pay")!;
        Assert.Equal("LimitBreached", pay["status"]!.GetValue<string>());
        Assert.True(errorRate["looks"]!.GetValue<int>() is > 1 and <= 30, "the sequential check looked through the interval and stopped at its Fail");

        // The success-rate floor judged [start, end] once: 30 minutes of the canary's /api/pay (100 per 15 s scrape).
        var floor = good.LastResponse!["result"]!["judgeResult"]!["results"]!.AsArray()[1]!;
        Assert.Equal(1, floor["looks"]!.GetValue<int>());
        Assert.Equal(12000, floor["endpoints"]!.AsArray().Single(e => e!["endpoint"]!.GetValue<string>() == "/api/pay")!["requests"]!.GetValue<double>());
        Assert.Equal("Pass", good.LastResponse["result"]!["judgeResult"]!["score"]!["classification"]!.GetValue<string>());
    }

    [PrometheusFact]
    public async Task ArgoKayentaProvider_LocationSelectsTheNamespace_EmptyLocationSelectsEvery()
    {
        await using var judge = await RunningJudge.StartAsync(new Dictionary<string, string> { ["checkout.yaml"] = data.Policy() }, TimeProvider.System);

        var staging = await ArgoKayentaReplay.MeasureAsync(judge.Client, Metric(judge.Address, "good", region: "staging"));
        var everywhere = await ArgoKayentaReplay.MeasureAsync(judge.Client, Metric(judge.Address, "good", region: ""));

        // good fails half its requests in staging; with no location the baseline and canary of both namespaces add up.
        Assert.True(staging.Phase == "Failed", staging.LastResponse?.ToJsonString());
        Assert.True(everywhere.Phase == "Failed", everywhere.LastResponse?.ToJsonString());
    }

    [PrometheusFact]
    public async Task ArgoKayentaProvider_CanaryWithoutData_ScoresMarginal_ArgoSaysInconclusiveNeverSuccessful()
    {
        await using var judge = await RunningJudge.StartAsync(new Dictionary<string, string> { ["checkout.yaml"] = data.Policy() }, TimeProvider.System);

        var absent = await ArgoKayentaReplay.MeasureAsync(judge.Client, Metric(judge.Address, "absent"));

        Assert.True(absent.Phase == "Inconclusive", absent.LastResponse?.ToJsonString());
        Assert.Equal("75", absent.Value);
        Assert.Equal("Inconclusive", absent.LastResponse!["result"]!["judgeResult"]!["score"]!["classification"]!.GetValue<string>());
    }

    [Fact]
    public async Task ArgoKayentaProvider_ConfigsListed_UnknownConfigAndUnusableThresholds_AreArgoErrors()
    {
        await using var judge = await RunningJudge.StartAsync(
            new Dictionary<string, string> { ["a.yaml"] = data.Policy("checkout"), ["b.yml"] = data.Policy("search") }, TimeProvider.System);

        var configs = JsonNode.Parse(await judge.Client.GetStringAsync(ArgoKayentaReplay.ConfigLookupUrl(Metric(judge.Address, "good"))))!.AsArray();
        Assert.Equal(["checkout", "search"], configs.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(["checkout", "search"], configs.Select(c => c!["id"]!.GetValue<string>()));

        var unknown = await ArgoKayentaReplay.MeasureAsync(judge.Client, Metric(judge.Address, "good", config: "payments"));
        Assert.Equal(("Error", "Canary config not found"), (unknown.Phase, unknown.Message));

        // A pass threshold of 0 would make every score Successful, Inconclusive included: refused, so Argo records an Error.
        var passAll = await ArgoKayentaReplay.MeasureAsync(judge.Client, Metric(judge.Address, "good") with { Pass = 0, Marginal = 0 });
        Assert.Equal("Error", passAll.Phase);
        Assert.Contains("thresholds.pass", passAll.LastResponse!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        using var missing = await judge.Client.GetAsync($"{judge.Address}/canary/no-such-execution");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task PrometheusUnreachable_KayentaCompletesWithoutScore_WebAnswers502_ArgoRecordsErrorsNeverAVerdict()
    {
        await using var judge = await RunningJudge.StartAsync(
            new Dictionary<string, string> { ["checkout.yaml"] = data.Policy(address: new Uri("http://127.0.0.1:1/")) }, TimeProvider.System);

        var measurement = await ArgoKayentaReplay.MeasureAsync(judge.Client, Metric(judge.Address, "good"));
        using var web = await judge.Client.GetAsync($"{judge.Address}/web/checkout/run-1?canary=good");

        Assert.Equal(("Error", "Missing Score"), (measurement.Phase, measurement.Message));
        Assert.Equal("TERMINAL", measurement.LastResponse!["executionStatus"]!.GetValue<string>());
        Assert.Contains("127.0.0.1:1", measurement.LastResponse["exception"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadGateway, web.StatusCode);
    }

    [Theory]
    [InlineData(90, 75, 75, "Inconclusive")]
    [InlineData(90, 95, 89, "Failed")]
    [InlineData(1, 0, 0, "Inconclusive")]
    [InlineData(100, 100, 99, "Failed")]
    public void InconclusiveScore_IsNeverSuccessfulForAnyThresholds(int pass, int marginal, int score, string phase)
    {
        Assert.Equal(score, Canary.Analysis.Judge.KayentaScore.Inconclusive(pass, marginal));
        Assert.Equal(phase, ArgoKayentaReplay.EvaluateResult(score, pass, marginal));
    }
}
