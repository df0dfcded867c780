using System.Globalization;
using Canary.Analysis.Configuration;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Notifications;
using Canary.Analysis.Policies;
using Canary.Analysis.Traffic;

// Native AOT smoke test: queries a real Prometheus (started by .ci/run on a loopback port over a TSDB made by promtool
// from a small OpenMetrics file) by POST and by GET, reads traffic through a convention and judges it. Exit code 0 only
// when every answer is the expected one.
if (args.Length != 2 || !Uri.TryCreate(args[0], UriKind.Absolute, out var address) || !long.TryParse(args[1], CultureInfo.InvariantCulture, out var unixSeconds))
{
    Console.Error.WriteLine("usage: Canary.Analysis.AotSmoke <prometheus-base-url> <query-time-unix-seconds>");
    return 2;
}

var time = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
var failures = 0;

void Check(bool ok, string what)
{
    Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}");
    if (!ok)
    {
        failures++;
    }
}

foreach (var usePost in new[] { true, false })
{
    var method = usePost ? "POST" : "GET";
    using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = address, UsePost = usePost, Timeout = TimeSpan.FromSeconds(20) });

    var instant = await provider.QueryAsync("sum by (job) (smoke_value)", time);
    Check(instant.Series.Count == 1 && instant.Series[0].GetLabel("job") == "aot" && instant.Series[0].Samples[0].Value == 42.5,
        $"{method} instant query: {Describe(instant)}");

    var range = await provider.QueryRangeAsync("smoke_value", time.AddMinutes(-2), time, TimeSpan.FromMinutes(1));
    Check(range.Series.Count == 1 && range.Series[0].Samples.Count == 3 && range.Series[0].Samples.All(s => s.Value == 42.5),
        $"{method} range query: {Describe(range)}");

    try
    {
        await provider.QueryAsync("sum(", time);
        Check(false, $"{method} bad query: no error");
    }
    catch (MetricQueryException ex)
    {
        Check(ex.Kind == MetricQueryErrorKind.Backend && ex.ErrorType == "bad_data", $"{method} bad query: {ex.Kind} {ex.ErrorType}");
    }

    var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);
    var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Parse("version=\"canary\""), time, TimeSpan.FromMinutes(5)));
    var result = SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria { MinimumSuccessRate = 0.95 });
    Check(snapshot.Endpoints.Count == 1 && Math.Abs(snapshot.AggregateSuccessRate - 0.98) < 1e-9 && result.Verdict == Verdict.Pass,
        $"{method} traffic: {snapshot.Endpoints.Count} endpoint(s), success rate {snapshot.AggregateSuccessRate:0.######}, {result}");
}

// Policy documents: YAML through YamlDotNet's representation model, JSON through System.Text.Json, no reflection.
const string policyYaml = """
    apiVersion: canary-analysis/v1
    kind: CanaryPolicy
    metadata: { name: smoke }
    source: { convention: istio }
    canary: 'version="canary"'
    baseline: 'version="stable"'
    checks:
      error-rate: { kind: sequential-error-rate, alpha: 0.05 }
      floor: { kind: success-rate, minimumSuccessRate: 0.95, window: 15m }
    steps:
      - setWeight: 5
      - analysis: { name: fail-fast, failFast: true, interval: 1m, duration: 13m, checks: [error-rate, floor] }
    """;
var document = PolicyDocument.Parse(policyYaml, "smoke.yaml", PolicyDocumentFormat.Yaml);
using (var policyProvider = new PrometheusMetricProvider(new PrometheusOptions { Address = address }))
{
    var policy = document.Build(new PrometheusTrafficSource(policyProvider, document.Convention));
    Check(policy.Name == "smoke" && policy.Steps.Count == 2 && policy.Steps[1].Metrics.Count == 2 && document.Convention == TrafficConvention.Istio,
        $"policy document: {policy.Name}, {policy.Steps.Count} steps, convention {document.Convention.Name}");
}

try
{
    PolicyDocument.Parse("{\"apiVersion\": \"canary-analysis/v1\", \"kind\": \"CanaryPolicy\", \"metadata\": {\"name\": \"x\"}, \"canary\": \"a=\\\"b\\\"\", \"stpes\": []}", "bad.json", PolicyDocumentFormat.Json);
    Check(false, "policy document with a misspelt field: no error");
}
catch (PolicyDocumentException ex)
{
    Check(ex.Errors.Any(e => e.Path == "stpes" && e.Message.Contains("did you mean 'steps'?", StringComparison.Ordinal)), $"policy document with a misspelt field: {ex.Errors[0]}");
}

// Notification payloads: source-generated JSON with polymorphic blocks, after trimming.
var notification = new RolloutNotification
{
    Id = "aot", Kind = RolloutNotificationKind.RolledBack, Action = RolloutAction.Rollback, Cause = DecisionCause.AnalysisFailed,
    Rollout = "checkout", Namespace = "shop", Policy = "p", At = time, StartedAt = time, Reason = "Analysis failed.",
    Check = new NotifiedCheck { Metric = "success-rate", Check = SuccessRateEvaluator.CheckName, Value = 0.96, Threshold = 0.95 },
    Endpoint = new NotifiedEndpoint { Name = "/api/pay", Status = EndpointStatus.LimitBreached, Value = 0.912, Limit = 0.95, Requests = 412 },
};
var hook = new Uri("https://hooks.example.com/services/x");
using (var events = new CloudEventsSink(hook))
using (var alerts = new AlertmanagerSink(hook))
{
    var payloads = new[] { events.Render(notification), SlackSink.Render(notification), TeamsSink.Render(notification), alerts.Render(notification) ?? string.Empty };
    Check(payloads[0].Contains("\"specversion\":\"1.0\"", StringComparison.Ordinal) && payloads[1].Contains("\"type\":\"header\"", StringComparison.Ordinal)
        && payloads[2].Contains("\"type\":\"FactSet\"", StringComparison.Ordinal) && payloads[3].Contains("\"alertname\":\"CanaryRolloutUnhealthy\"", StringComparison.Ordinal)
        && payloads.All(p => p.Contains("/api/pay", StringComparison.Ordinal)),
        $"notification payloads: {string.Join(", ", payloads.Select(p => p.Length))} bytes");
}

Console.WriteLine(failures == 0 ? "AOT smoke test passed" : $"AOT smoke test failed: {failures} check(s)");
return failures == 0 ? 0 : 1;

static string Describe(MetricQueryResult result) =>
    string.Join("; ", result.Series.Select(s => "{" + string.Join(",", s.Labels.Select(l => l.Key + "=" + l.Value)) + "} " + string.Join(" ", s.Samples.Select(p => p.Value.ToString(CultureInfo.InvariantCulture)))));
