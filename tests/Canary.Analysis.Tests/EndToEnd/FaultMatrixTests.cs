using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Policies;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.EndToEnd;

/// <summary>
/// The fault matrix: every way a Prometheus server, the network or a response can go wrong, served on the wire by a
/// loopback server and driven end to end through <see cref="PrometheusMetricProvider"/> →
/// <see cref="PrometheusTrafficSource"/> → <see cref="SequentialErrorRateCheck"/> and <see cref="SuccessRateCheck"/> →
/// <see cref="AnalysisRun"/> → <see cref="CanaryRollout"/>. No case may promote; the healthy control must.
/// </summary>
public sealed partial class FaultMatrixTests(ITestOutputHelper output)
{
    private const string Canary = "canary";
    private const string Baseline = "baseline";
    private const long ResponseCap = 256 * 1024;
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly string[] Endpoints = ["/api/pay", "/api/search", "/api/cart"];

    /// <summary>Which version's queries get the fault; the other version is answered healthily.</summary>
    public enum Scope
    {
        CanaryOnly,
        BaselineOnly,
        Both,
    }

    public static TheoryData<string, Scope> Cases()
    {
        var data = new TheoryData<string, Scope>();
        foreach (var fault in Faults.Keys)
        {
            foreach (var scope in Enum.GetValues<Scope>())
            {
                data.Add(fault, scope);
            }
        }

        return data;
    }

    /// <summary>Every fault, by name: what the server does with a query of the faulted version (given its healthy body).</summary>
    private static readonly Dictionary<string, Func<FaultRequest, string, FaultReply>> Faults = new(StringComparer.Ordinal)
    {
        // Transport.
        ["reset"] = (_, _) => FaultReply.Reset,
        ["closed without response"] = (_, _) => FaultReply.Close,
        ["black hole"] = (_, _) => FaultReply.BlackHole,
        ["headers then silence"] = (_, _) => FaultReply.HeadersThenSilence,
        ["trickle past the timeout"] = (_, healthy) => FaultReply.Trickle(healthy, 8, TimeSpan.FromMilliseconds(100)),
        ["garbage status line"] = (_, _) => FaultReply.Raw("HTTP/1.1 OK-ish\r\n\r\n{}"),

        // Statuses with Prometheus's error bodies, and without.
        ["400 bad_data"] = (_, _) => Error(400, "bad_data", "parse error at char 12: unexpected \"}\""),
        ["422 execution"] = (_, _) => Error(422, "execution", "query processing would load too many samples into memory"),
        ["429 Retry-After"] = (_, _) => FaultReply.Respond(429, "too many requests", "text/plain", ("Retry-After", "30")),
        ["500 internal"] = (_, _) => Error(500, "internal", "unexpected error"),
        ["503 plain text"] = (_, _) => FaultReply.Respond(503, "upstream connect error or disconnect/reset before headers", "text/plain"),
        ["502 html"] = (_, _) => FaultReply.Respond(502, "<html><body>Bad Gateway</body></html>", "text/html"),
        ["200 with status error"] = (_, _) => FaultReply.Respond(200, """{"status":"error","errorType":"timeout","error":"query timed out"}"""),

        // Malformed bodies.
        ["empty body"] = (_, _) => FaultReply.Respond(200, ""),
        ["not json"] = (_, _) => FaultReply.Respond(200, "<html>login</html>", "text/html"),
        ["truncated"] = (_, healthy) => FaultReply.Respond(200, healthy[..(healthy.Length / 2)]),
        ["no data"] = (_, _) => FaultReply.Respond(200, """{"status":"success"}"""),
        ["no result"] = (_, _) => FaultReply.Respond(200, """{"status":"success","data":{"resultType":"vector"}}"""),
        ["matrix instead of vector"] = (_, _) => FaultReply.Respond(200, """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"endpoint":"/api/pay","code":"200"},"values":[[1,"5"]]}]}}"""),
        ["scalar instead of vector"] = (_, _) => FaultReply.Respond(200, """{"status":"success","data":{"resultType":"scalar","result":[1,"1000"]}}"""),
        ["string instead of vector"] = (_, _) => FaultReply.Respond(200, """{"status":"success","data":{"resultType":"string","result":[1,"1000"]}}"""),
        ["series without value"] = (_, healthy) => FaultReply.Respond(200, AddSeries(healthy, """{"metric":{"endpoint":"/api/pay","code":"500"}}""")),
        ["duplicate series"] = (_, healthy) => FaultReply.Respond(200, DuplicateFirstSeries(healthy)),
        ["duplicate label key"] = (_, healthy) => FaultReply.Respond(200, AddSeries(healthy, """{"metric":{"endpoint":"/api/pay","code":"500","code":"200"},"value":[1,"900"]}""")),
        ["lone surrogate label"] = (_, healthy) => FaultReply.Respond(200, AddSeries(healthy, """{"metric":{"endpoint":"/api/\ud800","code":"200"},"value":[1,"10"]}""")),
        ["timestamp far future"] = (_, healthy) => FaultReply.Respond(200, ReplaceTimestamps(healthy, "9999999999999999")),
        ["timestamp far past"] = (_, healthy) => FaultReply.Respond(200, ReplaceTimestamps(healthy, "-99999999999")),
        ["empty result"] = (_, _) => FaultReply.Respond(200, Vector([])),

        // Values that are not counts.
        ["errors NaN"] = (_, healthy) => FaultReply.Respond(200, ReplaceErrors(healthy, "NaN")),
        ["errors +Inf"] = (_, healthy) => FaultReply.Respond(200, ReplaceErrors(healthy, "+Inf")),
        ["successes -Inf"] = (_, healthy) => FaultReply.Respond(200, ReplaceSuccesses(healthy, "-Inf")),
        ["errors 1e400"] = (_, healthy) => FaultReply.Respond(200, ReplaceErrors(healthy, "1e400")),
        ["errors negative"] = (_, healthy) => FaultReply.Respond(200, ReplaceErrors(healthy, "-5000")),
        ["successes beyond 2^53"] = (_, healthy) => FaultReply.Respond(200, ReplaceSuccesses(healthy, "18014398509481985")),
        ["value not a number"] = (_, healthy) => FaultReply.Respond(200, ReplaceErrors(healthy, "lots")),

        // Partial responses (Thanos, Mimir).
        ["warnings"] = (_, healthy) => FaultReply.Respond(200, healthy[..^1] + ""","warnings":["partial response: store 10.0.0.7:10901 unavailable"]}"""),

        // Size and encoding.
        ["huge body"] = (_, healthy) => FaultReply.Respond(200, healthy[..^1] + ",\"pad\":\"" + new string('x', (int)ResponseCap * 4) + "\"}"),
        ["huge chunked body"] = (_, healthy) => FaultReply.Chunked(200, Encoding.UTF8.GetBytes(healthy[..^1] + ",\"pad\":\"" + new string('x', (int)ResponseCap * 4) + "\"}")),
        ["gzip bomb"] = (_, healthy) => FaultReply.Gzipped(200, Encoding.UTF8.GetBytes(healthy[..^1] + new string(' ', 32 * 1024 * 1024) + "}")),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Fault_NeverPromotes(string fault, Scope scope)
    {
        var reply = Faults[fault];
        await using var server = new LoopbackFaultServer(request =>
        {
            var (version, healthy) = Healthy(request);
            var faulted = scope == Scope.Both || (scope == Scope.CanaryOnly ? version == Canary : version == Baseline);
            return faulted ? reply(request, healthy) : FaultReply.Respond(200, healthy);
        });

        var (status, decisions) = await RunRolloutAsync(server.Address);

        output.WriteLine($"{fault} ({scope}): {status} after {decisions.Count} ticks; last: {decisions[^1]}");
        Assert.DoesNotContain(decisions, d => d.Action == RolloutAction.Promote);
        Assert.NotEqual(RolloutStatus.Promoted, status);
        Assert.NotEmpty(server.Requests);
    }

    [Fact]
    public async Task Refused_NeverPromotes()
    {
        var (status, decisions) = await RunRolloutAsync(LoopbackFaultServer.RefusedAddress());

        output.WriteLine($"refused: {status}; last: {decisions[^1]}");
        Assert.DoesNotContain(decisions, d => d.Action == RolloutAction.Promote);
        Assert.Equal(RolloutStatus.Aborted, status);
    }

    /// <summary>The control: the same harness with every answer healthy promotes, so the matrix can fail.</summary>
    [Fact]
    public async Task NoFault_Promotes()
    {
        await using var server = new LoopbackFaultServer(request => FaultReply.Respond(200, Healthy(request).Body));

        var (status, decisions) = await RunRolloutAsync(server.Address);

        output.WriteLine($"control: {status} after {decisions.Count} ticks; last: {decisions[^1]}");
        Assert.Equal(RolloutStatus.Promoted, status);
        Assert.Contains(server.Requests, r => r.Form("query")?.Contains("version=\"baseline\"", StringComparison.Ordinal) == true);
    }

    /// <summary>Control for the values: a healthy body that is gzip-encoded (the transport, not a fault) still promotes.</summary>
    [Fact]
    public async Task GzipHealthyBody_Promotes()
    {
        await using var server = new LoopbackFaultServer(request => FaultReply.Gzipped(200, Encoding.UTF8.GetBytes(Healthy(request).Body)));

        var (status, _) = await RunRolloutAsync(server.Address);

        Assert.Equal(RolloutStatus.Promoted, status);
    }

    /// <summary>A failing canary behind each partial fault of the baseline is still never promoted (and the control rolls back).</summary>
    [Fact]
    public async Task FailingCanary_RollsBack()
    {
        await using var server = new LoopbackFaultServer(request => FaultReply.Respond(200, Healthy(request, canaryErrorRate: 0.3).Body));

        var (status, _) = await RunRolloutAsync(server.Address);

        Assert.Equal(RolloutStatus.Aborted, status);
    }

    private static async Task<(RolloutStatus Status, List<RolloutDecision> Decisions)> RunRolloutAsync(Uri address)
    {
        using var provider = new PrometheusMetricProvider(new PrometheusOptions
        {
            Address = address,
            Timeout = TimeSpan.FromMilliseconds(400),
            MaxResponseBytes = ResponseCap,
        });
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);
        var canary = LabelSelector.Parse("version=\"canary\"");
        var baseline = LabelSelector.Parse("version=\"baseline\"");
        var weights = new EndpointWeights { ["/api/pay"] = 0.6, ["/api/search"] = 0.2, ["/api/cart"] = 0.2 };
        // About faults, not margins: the soak's first look must pass, and ~120 canary requests a minute per endpoint then prove
        // a 10-point margin (6 points measured; 1 point needs hours) — with the errors taken as independent (the server's counts
        // are exact proportions; estimated, one window could not tell whether they were one burst).
        var sequential = new SequentialErrorRateCheck(source, canary, baseline, Minute,
            new SequentialErrorRateCriteria { Weights = weights, MinimumRequestsPerEndpoint = 50, NonInferiorityMargin = 0.1, EstimateErrorDispersion = false });
        AnalysisMetric[] Metrics() =>
        [
            new() { Name = "sequential", Check = sequential, Interval = Minute, Count = 4 },
            new()
            {
                Name = "floor",
                Check = new SuccessRateCheck(source, canary, TimeSpan.FromMinutes(5), new SuccessRateCriteria { Weights = weights, MinimumSuccessRate = 0.95 }),
                Interval = Minute,
                Count = 4,
            },
        ];
        var policy = new CanaryPolicy("fault-matrix",
        [
            CanaryStep.SetWeight(5),
            CanaryStep.FailFastAnalysis("fail-fast", Metrics()),
            CanaryStep.SetWeight(10),
            CanaryStep.Analysis("soak", Metrics()),
        ]);
        var rollout = new CanaryRollout(policy, Start);
        var decisions = new List<RolloutDecision>();
        for (var now = Start; now <= Start + TimeSpan.FromHours(2) && rollout.State.Status == RolloutStatus.Progressing; now += Minute)
        {
            await rollout.TickUntilSettledAsync(now, decisions.Add);
        }

        return (rollout.State.Status, decisions);
    }

    /// <summary>The healthy answer to a request: which version it asks for and its body (counts scaled to the window).</summary>
    private static (string Version, string Body) Healthy(FaultRequest request, double canaryErrorRate = 0.004)
    {
        var query = request.Form("query") ?? "";
        var version = query.Contains("version=\"canary\"", StringComparison.Ordinal) ? Canary : Baseline;
        var match = WindowPattern().Match(query);
        var seconds = !match.Success ? 60
            : match.Groups[2].Value == "ms" ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) / 1000
            : double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        // The sequential check reads raw samples (a range selector, answered with a matrix); the floor check a grouped sum.
        var rawSamples = !query.StartsWith("sum", StringComparison.Ordinal);
        if (rawSamples)
        {
            seconds -= 300; // the range is the window plus a 5-minute lookback
        }

        var perSecond = version == Canary ? 2.0 : 38.0;
        var errorRate = version == Canary ? canaryErrorRate : 0.004;
        var series = new List<(string Endpoint, string Code, double Value)>();
        foreach (var endpoint in Endpoints)
        {
            var requests = Math.Round(perSecond * seconds);
            var errors = Math.Round(requests * errorRate);
            series.Add((endpoint, "200", requests - errors));
            series.Add((endpoint, "500", errors));
        }

        return (version, rawSamples ? Matrix(series, request.Form("time") ?? "1772460000", seconds) : Vector(series));
    }

    /// <summary>Each series as two raw samples: 1 000 at the window's start, 1 000 + its count at the evaluation time.</summary>
    private static string Matrix(IEnumerable<(string Endpoint, string Code, double Value)> series, string time, double seconds)
    {
        var end = decimal.Parse(time, CultureInfo.InvariantCulture);
        var start = end - (decimal)seconds;
        var body = new StringBuilder("""{"status":"success","data":{"resultType":"matrix","result":[""");
        var first = true;
        foreach (var (endpoint, code, value) in series)
        {
            body.Append(first ? "" : ",").Append(CultureInfo.InvariantCulture, $$"""{"metric":{"code":"{{code}}","endpoint":"{{endpoint}}"},"values":[[{{start}},"1000"],[{{end}},"{{(1000 + value).ToString(CultureInfo.InvariantCulture)}}"]]}""");
            first = false;
        }

        return body.Append("]}}").ToString();
    }

    private static string Vector(IEnumerable<(string Endpoint, string Code, double Value)> series)
    {
        var body = new StringBuilder("""{"status":"success","data":{"resultType":"vector","result":[""");
        var first = true;
        foreach (var (endpoint, code, value) in series)
        {
            body.Append(first ? "" : ",").Append(CultureInfo.InvariantCulture, $$"""{"metric":{"code":"{{code}}","endpoint":"{{endpoint}}"},"value":[1772460000,"{{value.ToString(CultureInfo.InvariantCulture)}}"]}""");
            first = false;
        }

        return body.Append("]}}").ToString();
    }

    private static FaultReply Error(int status, string type, string message) =>
        FaultReply.Respond(status, $$"""{"status":"error","errorType":"{{type}}","error":"{{message.Replace("\"", "\\\"", StringComparison.Ordinal)}}"}""");

    private static string AddSeries(string healthy, string series) =>
        healthy.Replace("\"result\":[", "\"result\":[" + series + ",", StringComparison.Ordinal);

    private static string DuplicateFirstSeries(string healthy)
    {
        var start = healthy.IndexOf("{\"metric\"", StringComparison.Ordinal);
        var end = healthy.IndexOf("]}", start, StringComparison.Ordinal) + 2;
        return AddSeries(healthy, healthy[start..end]);
    }

    private static string ReplaceErrors(string healthy, string value) => CodeValuePattern("500").Replace(healthy, m => m.Groups[1].Value + value + "\"");

    private static string ReplaceSuccesses(string healthy, string value) => CodeValuePattern("200").Replace(healthy, m => m.Groups[1].Value + value + "\"");

    // The value of a vector sample, or the last value of a matrix series.
    private static Regex CodeValuePattern(string code) =>
        new("(\\{\"metric\":\\{\"code\":\"" + code + "\",\"endpoint\":\"[^\"]*\"\\},(?:\"value\":\\[|\"values\":\\[\\[[\\d.]+,\"[^\"]*\"\\],\\[)[\\d.]+,\")[^\"]*\"", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static string ReplaceTimestamps(string healthy, string timestamp) => TimestampPattern().Replace(healthy, m => m.Groups[1].Value + timestamp + ",");

    [GeneratedRegex(@"(""value"":\[|""values"":\[\[)[\d.]+,", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();

    [GeneratedRegex(@"\[(\d+)(ms|s)\]", RegexOptions.CultureInvariant)]
    private static partial Regex WindowPattern();
}
