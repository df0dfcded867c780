using System.Text;
using System.Text.Json;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Metrics;

/// <summary>
/// Distinctive secrets are configured, the server echoes the whole request head back in every way it can fail, and no
/// text the library produces (messages, inner exceptions, warnings, analysis reasons and saved state) contains them.
/// </summary>
public sealed class SecretCanaryTests
{
    private const string Token = "CANARYtok8f1d2e3c4b5a";
    private const string Password = "CANARYpwd0a9b8c7d6e";
    private const string HeaderValue = "CANARYhdr5e6f7a8b9c";
    private static readonly JsonSerializerOptions JsonOptions = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    public static TheoryData<string> Faults => ["401-echo", "403-json", "500-prometheus-error", "429-echo", "502-echo", "200-invalid-json", "200-too-large", "404-html", "timeout"];

    private static LoopbackResponse Fail(string fault, LoopbackRequest request)
    {
        var head = request.Head;
        var jsonHead = JsonSerializer.Serialize(head);
        return fault switch
        {
            "401-echo" => new LoopbackResponse(401, "Unauthorized. You sent:\n" + head),
            "403-json" => LoopbackResponse.Json($$"""{"message":"forbidden","request":{{jsonHead}}}""", 403),
            "500-prometheus-error" => LoopbackResponse.Json($$"""{"status":"error","errorType":"execution","error":{{jsonHead}},"warnings":[{{jsonHead}}]}""", 500),
            "429-echo" => new LoopbackResponse(429, head, new Dictionary<string, string> { ["Retry-After"] = "1" }),
            "502-echo" => new LoopbackResponse(502, "<html>bad gateway for " + head + "</html>"),
            "200-invalid-json" => LoopbackResponse.Json("{\"status\":\"success\",\"data\":" + jsonHead),
            "200-too-large" => LoopbackResponse.Json("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}," + new string(' ', 5000) + jsonHead + "}"),
            "404-html" => new LoopbackResponse(404, "<pre>" + head + "</pre>"),
            _ => new LoopbackResponse(200, head, Delay: TimeSpan.FromSeconds(5)),
        };
    }

    private static IEnumerable<string> Texts(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            yield return ex.Message;
            yield return ex.ToString();
            if (ex is MetricQueryException query)
            {
                yield return query.BackendMessage ?? string.Empty;
                yield return query.ErrorType ?? string.Empty;
                foreach (var warning in query.Warnings)
                {
                    yield return warning;
                }
            }
        }
    }

    private static void AssertNoSecret(IEnumerable<string> texts)
    {
        var all = string.Join("\n", texts);
        Assert.DoesNotContain("CANARY", all, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("canary-user:" + Password)), all, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Provider_EveryFaultEchoingTheRequest_NeverShowsASecret(string fault)
    {
        await using var server = new LoopbackHttpServer(request => Fail(fault, request));
        foreach (var basic in new[] { false, true })
        {
            // Only the timeout fault needs a short timeout; the others get a generous one, so a loaded machine cannot turn
            // them into timeouts before the server has seen the request.
            var timeout = fault == "timeout" ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(30);
            var options = new PrometheusOptions { Address = server.Address, Timeout = timeout, MaxResponseBytes = 4096 };
            if (basic)
            {
                options.Username = "canary-user";
                options.Password = Password;
            }
            else
            {
                options.BearerToken = Token;
            }

            options.Headers["X-Proxy-Key"] = HeaderValue;
            using var provider = new PrometheusMetricProvider(options);

            var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("up", Time));

            Assert.Contains(server.Requests, r => r.Head.Contains(HeaderValue, StringComparison.Ordinal)); // it was sent
            AssertNoSecret(Texts(ex));
        }
    }

    [Theory]
    [InlineData("401-echo")]
    [InlineData("500-prometheus-error")]
    [InlineData("502-echo")]
    public async Task AnalysisRun_ProviderFaultEchoingTheRequest_ReasonsAndSavedStateNeverShowASecret(string fault)
    {
        await using var server = new LoopbackHttpServer(request => Fail(fault, request));
        var options = new PrometheusOptions { Address = server.Address, BearerToken = Token };
        options.Headers["X-Proxy-Key"] = HeaderValue;
        using var provider = new PrometheusMetricProvider(options);
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);
        var check = new SuccessRateCheck(source, LabelSelector.Parse("version=\"canary\""), TimeSpan.FromMinutes(5), new SuccessRateCriteria { MinimumSuccessRate = 0.95 });
        var run = new AnalysisRun([new AnalysisMetric { Name = "success-rate", Check = check, Count = 2, Interval = TimeSpan.FromMinutes(1), ConsecutiveErrorLimit = 0 }], Time);

        await run.TickAsync(Time);
        var snapshot = run.State;

        Assert.NotEmpty(server.Requests);
        Assert.Equal(AnalysisPhase.Error, run.Phase);
        AssertNoSecret([run.Message, run.ToString(), JsonSerializer.Serialize(snapshot, JsonOptions), .. run.Metrics.Select(m => m.Message)]);
    }
}
