using System.Text.Json.Nodes;
using Canary.Analysis.IntegrationTests.Infrastructure;

namespace Canary.Analysis.IntegrationTests.Samples.Judge;

/// <summary>
/// The judge answers Argo Rollouts' web provider (<c>metricproviders/webmetric/webmetric.go</c>: a GET, a 2xx, a JSON body,
/// <c>jsonPath: "{$}"</c>, then <c>successCondition: result.verdict == "Pass"</c> and
/// <c>failureCondition: result.verdict == "Fail"</c>), one look per poll, the sequential evidence kept per key.
/// </summary>
public sealed class JudgeWebTests(JudgeData data) : IClassFixture<JudgeData>
{
    [PrometheusFact]
    public async Task ArgoWebProvider_BadCanary_FailsWithinTheFailFastStep_GoodCanaryNeverFails_EvidenceKeptPerKey()
    {
        var time = new SetTime(JudgeData.Start);
        await using var judge = await RunningJudge.StartAsync(new Dictionary<string, string> { ["checkout.yaml"] = data.Policy() }, time);

        var badLooks = new List<JsonObject>();
        var goodLooks = new List<JsonObject>();
        for (var minute = 1; minute <= 30; minute++)
        {
            time.Now = JudgeData.Start.AddMinutes(minute);
            if (badLooks.Count == 0 || Verdict(badLooks[^1]) != "Fail")
            {
                badLooks.Add(await PollAsync(judge, "/web/checkout/checkout-7?canary=bad&namespace=shop&step=fail-fast"));
            }

            goodLooks.Add(await PollAsync(judge, "/web/checkout/checkout-8?canary=good&namespace=shop"));
        }

        Assert.Equal("Fail", Verdict(badLooks[^1]));
        Assert.InRange(badLooks.Count, 1, 13);
        Assert.Equal(badLooks.Count, badLooks[^1]["look"]!.GetValue<int>());
        Assert.Equal(0, badLooks[^1]["value"]!.GetValue<int>());
        Assert.Contains("/api/pay", badLooks[^1]["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.DoesNotContain(goodLooks, l => Verdict(l) == "Fail");
        Assert.Equal("Pass", Verdict(goodLooks[^1]));
        Assert.Equal(100, goodLooks[^1]["value"]!.GetValue<int>());
        Assert.Equal(30, goodLooks[^1]["look"]!.GetValue<int>());

        // The sequential check kept its evidence across looks: its canary requests on /api/pay add up over the 30 looks.
        var errorRate = goodLooks[^1]["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "error-rate")!;
        var pay = errorRate["endpoints"]!.AsArray().Single(e => e!["endpoint"]!.GetValue<string>() == "/api/pay")!;
        Assert.Equal(12000, pay["requests"]!.GetValue<double>());
    }

    [PrometheusFact]
    public async Task ArgoWebProvider_KeyReusedWithOtherVersions_IsRefused_UnknownPolicyAndStep_AreNotFound()
    {
        var time = new SetTime(JudgeData.Start.AddMinutes(5));
        await using var judge = await RunningJudge.StartAsync(new Dictionary<string, string> { ["checkout.yaml"] = data.Policy() }, time);

        await PollAsync(judge, "/web/checkout/run-1?canary=good&namespace=shop");
        using var conflict = await judge.Client.GetAsync($"{judge.Address}/web/checkout/run-1?canary=bad&namespace=shop");
        using var policy = await judge.Client.GetAsync($"{judge.Address}/web/payments/run-1");
        using var step = await judge.Client.GetAsync($"{judge.Address}/web/checkout/run-1?canary=good&namespace=shop&step=nightly");

        // Argo's web provider records any non-2xx answer as an Error measurement, never a verdict.
        Assert.Equal(System.Net.HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, policy.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, step.StatusCode);
    }

    /// <summary>webmetric.go: GET, require 2xx, unmarshal JSON, apply jsonPath <c>{$}</c> (the whole document).</summary>
    private static async Task<JsonObject> PollAsync(RunningJudge judge, string pathAndQuery)
    {
        using var response = await judge.Client.GetAsync(judge.Address + pathAndQuery);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static string Verdict(JsonObject result) => result["verdict"]!.GetValue<string>();
}
