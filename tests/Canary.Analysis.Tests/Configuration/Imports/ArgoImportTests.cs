using Canary.Analysis.Configuration;
using Canary.Analysis.Configuration.Imports;
using Canary.Analysis.Policies;
using static Canary.Analysis.Tests.Configuration.Imports.ImportFixtures;

namespace Canary.Analysis.Tests.Configuration.Imports;

public sealed class ArgoImportTests
{
    [Fact]
    public void ARolloutsSteps_BecomeSteps_AndItsTemplatesMetrics_Checks()
    {
        var result = Import("argo-step-analysis.yaml");

        Assert.Equal("guestbook", result.Policy.Name);
        Assert.Equal("istio", result.Policy.Convention.Name);
        Assert.Equal(new Uri("http://prometheus.example.com:9090"), result.Policy.PrometheusAddress);
        var options = result.Policy.CreatePrometheusOptions();
        Assert.Equal((TimeSpan.FromSeconds(40), "tenant_a"), (options.Timeout, options.TenantId));
        Assert.Equal("destination_service=~\"guestbook\"", result.Policy.Canary.ToString());
        Assert.Null(result.Policy.Baseline);
        Assert.Equal("4", Field(result, "replicas"));

        Assert.Equal(["success-rate", "p99-latency"], result.Policy.CheckNames);
        Assert.Equal(("success-rate", "0.95", "5m"), (Field(result, "checks", "success-rate", "kind"), Field(result, "checks", "success-rate", "minimumSuccessRate"), Field(result, "checks", "success-rate", "window")));
        Assert.Equal(("latency", "0.99", "500ms"), (Field(result, "checks", "p99-latency", "kind"), Field(result, "checks", "p99-latency", "quantile"), Field(result, "checks", "p99-latency", "maximumLatency")));

        var policy = Build(result);
        Assert.Equal([CanaryStepKind.SetWeight, CanaryStepKind.Pause, CanaryStepKind.Analysis, CanaryStepKind.SetWeight, CanaryStepKind.Pause], policy.Steps.Select(s => s.Kind));
        Assert.Equal([20, 50], policy.Steps.Where(s => s.Kind == CanaryStepKind.SetWeight).Select(s => s.Weight));
        Assert.Equal(TimeSpan.FromMinutes(5), policy.Steps[1].Duration);
        Assert.Null(policy.Steps[4].Duration);
        var analysis = policy.Steps[2];
        Assert.Equal(["success-rate", "p99-latency"], analysis.Metrics.Select(m => m.Name));
        Assert.All(analysis.Metrics, m => Assert.Equal((TimeSpan.FromMinutes(1), 10, 3), (m.Interval!.Value, m.Count!.Value, m.FailureLimit)));
    }

    [Fact]
    public void ARolloutsImport_NamesEveryFindingsPath()
    {
        var result = Import("argo-step-analysis.yaml");

        Assert.Equal(
            [
                "Error AnalysisTemplate/success-rate spec.metrics[0].successCondition", // len(result) == 0 || (argo-rollouts#3503)
                "Warning AnalysisTemplate/success-rate spec.metrics[0].provider.prometheus.query", // the canary's selector is the query's
                "Warning AnalysisTemplate/success-rate spec.metrics[0].failureLimit", // tolerates 3 failed looks
                "Error AnalysisTemplate/success-rate spec.metrics[1].provider.prometheus.query", // CPU: no check kind for an arbitrary query
                "Error ClusterAnalysisTemplate/latency spec.metrics[0].failureCondition", // only a failure condition: NaN passes
                "Warning ClusterAnalysisTemplate/latency spec.metrics[0]", // another failureLimit than the step's
            ],
            Where(result));
        Assert.True(result.HasErrors);
        Assert.Contains("argoproj/argo-rollouts#3503", result.Findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("no check kind for an arbitrary query", result.Findings[3].Message, StringComparison.Ordinal);
        Assert.Contains("QueryCheck", result.Findings[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABackgroundAnalysis_RunsInTheTimedPausesFromItsStartingStep()
    {
        var result = Import("argo-background-analysis.yaml");

        // 100 × 5xx / all ≤ 1 (percent of errors) is a success rate of at least 99 %.
        Assert.Equal(("success-rate", "0.99", "5m"), (Field(result, "checks", "error-rate", "kind"), Field(result, "checks", "error-rate", "minimumSuccessRate"), Field(result, "checks", "error-rate", "window")));
        Assert.Equal("prometheus-net", result.Policy.Convention.Name);
        Assert.Equal("app=\"guestbook\"", result.Policy.Canary.ToString());

        var policy = Build(result);
        Assert.Equal(
            [CanaryStepKind.SetWeight, CanaryStepKind.Pause, CanaryStepKind.SetWeight, CanaryStepKind.Analysis, CanaryStepKind.SetWeight, CanaryStepKind.Analysis, CanaryStepKind.SetWeight, CanaryStepKind.Pause],
            policy.Steps.Select(s => s.Kind));
        Assert.All([policy.Steps[3], policy.Steps[5]], step =>
            Assert.Equal((TimeSpan.FromMinutes(5), 2, 1), (step.Metrics[0].Interval!.Value, step.Metrics[0].Count!.Value, step.Metrics[0].FailureLimit)));

        Assert.Equal(
            [
                "Info Rollout/guestbook spec.strategy.canary.canaryService",
                "Error Rollout/guestbook spec.strategy.canary.steps[8].experiment",
                "Warning AnalysisTemplate/error-rate spec.metrics[0].consecutiveSuccessLimit",
                "Error AnalysisTemplate/error-rate spec.metrics[0].successCondition", // isNaN(result[0]) ||
                "Warning AnalysisTemplate/error-rate spec.metrics[0].provider.prometheus.query", // non-5xx vs prometheus-net's 2xx
                "Warning AnalysisTemplate/error-rate spec.metrics[0].provider.prometheus.query", // the canary's selector is the query's
                "Warning AnalysisTemplate/error-rate spec.metrics[0].inconclusiveLimit",
                "Warning AnalysisTemplate/error-rate spec.metrics[0].failureLimit",
                "Error AnalysisTemplate/error-rate spec.metrics[1].provider", // the web provider
                "Warning Rollout/guestbook spec.strategy.canary.steps[7]", // a pause for a human: no background analysis there
                "Warning Rollout/guestbook spec.strategy.canary.analysis",
            ],
            Where(result));
    }

    [Theory]
    [InlineData("successCondition: len(result) == 0 || result[0] >= 0.95", "successCondition")]
    [InlineData("successCondition: (len(result) == 0 || result[0] >= 0.95)", "successCondition")]
    [InlineData("successCondition: isNaN(result[0]) || result[0] >= 0.95", "successCondition")]
    [InlineData("successCondition: isNaN(result) || result >= 0.95", "successCondition")]
    [InlineData("successCondition: default(result, 1) >= 0.95", "successCondition")]
    [InlineData("failureCondition: result[0] < 0.95", "failureCondition")]
    [InlineData("failureCondition: len(result) > 0 && result[0] < 0.95", "failureCondition")]
    [InlineData("successCondition: result[0] >= 0.95\n    failureLimit: -1\n    consecutiveSuccessLimit: 3", "failureLimit")]
    [InlineData("successCondition: result[0] >= 0.95\n    failureLimit: 5", "failureLimit")]
    [InlineData("successCondition: result[0] >= 0.95\n    inconclusiveLimit: 5", "inconclusiveLimit")]
    public void IdiomsThatPassOnMissingDataOrLetFailuresPass_AreErrors_AndTheCheckIsStillImported(string condition, string field)
    {
        var result = PolicyImporter.FromArgo(Template(condition, SuccessRatio), "t.yaml");

        Assert.Contains($"Error AnalysisTemplate/t spec.metrics[0].{field}", Where(result));
        Assert.Equal("0.95", Field(result, "checks", "success-rate", "minimumSuccessRate"));
        Assert.All(Build(result).Steps.Single().Metrics, m => Assert.Equal(0, m.FailureLimit)); // failures fail the step
    }

    [Theory]
    [InlineData("successCondition: len(result) > 0 && result[0] >= 0.95")]
    [InlineData("successCondition: result[0] >= 0.95\n    failureCondition: result[0] < 0.95")]
    [InlineData("successCondition: result[0] >= 0.95\n    failureLimit: 2")]
    public void SafeConditions_AreNotErrors(string condition)
    {
        var result = PolicyImporter.FromArgo(Template(condition, SuccessRatio), "t.yaml");

        Assert.False(result.HasErrors, string.Join(Environment.NewLine, result.Findings));
        Assert.Equal("0.95", Field(result, "checks", "success-rate", "minimumSuccessRate"));
    }

    /// <summary>A success rate written as a fraction or a percentage, of successes or of errors, maps to the same minimum.</summary>
    [Theory]
    [InlineData("sum(rate(M{app=\"web\",code=~\"2..\"}[5m])) / sum(rate(M{app=\"web\"}[5m]))", "successCondition: result[0] >= 0.99")]
    [InlineData("sum(rate(M{app=\"web\",code=~\"2..\"}[5m])) / sum(rate(M{app=\"web\"}[5m])) * 100", "successCondition: result[0] >= 99")]
    [InlineData("100 * sum(rate(M{app=\"web\",code=~\"2..\"}[5m])) / sum(rate(M{app=\"web\"}[5m]))", "successCondition: result[0] >= 99")]
    [InlineData("sum(rate(M{app=\"web\",code!~\"2..\"}[5m])) / sum(rate(M{app=\"web\"}[5m]))", "successCondition: result[0] <= 0.01")]
    [InlineData("1 - sum(rate(M{app=\"web\",code!~\"2..\"}[5m])) / sum(rate(M{app=\"web\"}[5m]))", "successCondition: result[0] >= 0.99")]
    [InlineData("100 - sum(rate(M{app=\"web\",code!~\"2..\"}[5m])) / sum(rate(M{app=\"web\"}[5m])) * 100", "successCondition: 99 <= result[0]")]
    [InlineData("(sum(irate(M{app=\"web\",code!~\"2..\"}[5m])) / sum(irate(M{app=\"web\"}[5m]))) * 100", "failureCondition: asFloat(result[0]) >= 1")]
    public void SuccessRatios_InAnyScale_MapToTheSameMinimum(string query, string condition)
    {
        var result = PolicyImporter.FromArgo(Template(condition, query.Replace("M{", "http_request_duration_seconds_count{", StringComparison.Ordinal)), "t.yaml");

        Assert.Equal(("success-rate", "0.99", "5m"), (Field(result, "checks", "success-rate", "kind"), Field(result, "checks", "success-rate", "minimumSuccessRate"), Field(result, "checks", "success-rate", "window")));
        Assert.Equal("prometheus-net", result.Policy.Convention.Name);
        Assert.Equal("app=\"web\"", result.Policy.Canary.ToString());
    }

    [Theory]
    [InlineData("histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{app=\"web\"}[5m])) by (le)) * 1000", "result[0] < 250", "quantile", "0.95", "250ms")]
    [InlineData("histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket{app=\"web\"}[5m])))", "result[0] <= 1.5", "quantile", "0.9", "1s500ms")]
    [InlineData("sum(rate(http_request_duration_seconds_sum{app=\"web\"}[5m])) / sum(rate(http_request_duration_seconds_count{app=\"web\"}[5m]))", "result[0] <= 0.3", "measure", "mean", "300ms")]
    public void LatencyQueries_MapToALatencyCheck(string query, string condition, string measureField, string measure, string maximum)
    {
        var result = PolicyImporter.FromArgo(Template("successCondition: " + condition, query), "t.yaml");

        Assert.Equal(("latency", measure, maximum), (Field(result, "checks", "success-rate", "kind"), Field(result, "checks", "success-rate", measureField), Field(result, "checks", "success-rate", "maximumLatency")));
    }

    [Theory]
    [InlineData("sum(rate(http_requests_total{status=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m]))", "result[0] <= 0.01", "spec.metrics[0].provider.prometheus.query")] // no preset reads it
    [InlineData("sum(rate(http_request_duration_seconds_count{code=\"404\"}[5m])) / sum(rate(http_request_duration_seconds_count[5m]))", "result[0] <= 0.01", "spec.metrics[0].provider.prometheus.query")] // 404s
    [InlineData("sum(rate(http_request_duration_seconds_count{code=~\"5..\"}[5m]))", "result[0] <= 3", "spec.metrics[0].successCondition")] // errors per second
    [InlineData("sum(rate(http_request_duration_seconds_count{code=~\"2..\"}[5m])) / sum(rate(http_request_duration_seconds_count[5m]))", "result[0] <= 0.5", "spec.metrics[0].successCondition")] // passes low success
    [InlineData("sum(rate(http_request_duration_seconds_count{code=~\"2..\"}[5m])) / sum(rate(http_request_duration_seconds_count[5m]))", "result[0] == 1", "spec.metrics[0].successCondition")] // no threshold read
    [InlineData("sum(rate(http_request_duration_seconds_count{code=~\"2..\"}[5m:1m])) / sum(rate(http_request_duration_seconds_count[5m]))", "result[0] >= 0.9", "spec.metrics[0].provider.prometheus.query")] // a subquery
    public void WhatNoCheckKindJudges_IsAnError_AndNoCheck(string query, string condition, string path)
    {
        var result = PolicyImporter.FromArgo(Template("successCondition: " + condition, query), "t.yaml");

        Assert.Equal([$"Error AnalysisTemplate/t {path}"], Where(result).Where(w => w.StartsWith("Error", StringComparison.Ordinal)));
        Assert.Empty(result.Policy.CheckNames);
        Assert.Equal(CanaryStepKind.Pause, Build(result).Steps.Single().Kind); // nothing judged: a human decides
    }

    [Fact]
    public void OptionsSelectTheCanaryAndBaseline_AndNameThePolicy()
    {
        var result = PolicyImporter.FromArgo(Template("successCondition: result[0] >= 0.95", SuccessRatio), "t.yaml",
            new PolicyImportOptions { Name = "web", Canary = "version=\"canary\"", Baseline = "version=\"stable\"" });

        Assert.Equal(("web", "version=\"canary\"", "version=\"stable\""), (result.Policy.Name, result.Policy.Canary.ToString(), result.Policy.Baseline?.ToString()));
        Assert.DoesNotContain(result.Findings, f => f.Message.Contains("selector", StringComparison.Ordinal));
    }

    [Fact]
    public void InputWithoutArgoObjects_OrNotYaml_IsRefused()
    {
        Assert.Throws<PolicyDocumentException>(() => PolicyImporter.FromArgo("apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n", "cm.yaml"));
        var notYaml = Assert.Throws<PolicyDocumentException>(() => PolicyImporter.FromArgo("kind: [unclosed", "bad.yaml"));
        Assert.Equal("bad.yaml", notYaml.Errors[0].Origin);
        Assert.Throws<ArgumentException>(() => PolicyImporter.FromArgo(Template("successCondition: result[0] >= 0.95", SuccessRatio), "t.yaml", new PolicyImportOptions { Canary = "not a selector" }));
    }

    private const string SuccessRatio = "sum(rate(istio_requests_total{reporter=\"destination\",destination_workload=\"web\",response_code!~\"5.*\"}[5m])) / sum(rate(istio_requests_total{reporter=\"destination\",destination_workload=\"web\"}[5m]))";

    /// <summary>An AnalysisTemplate with one Prometheus metric, as Argo's documentation writes them.</summary>
    private static string Template(string conditions, string query) => $"""
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata:
          name: t
        spec:
          metrics:
          - name: success-rate
            interval: 1m
            count: 5
            {conditions}
            provider:
              prometheus:
                address: http://prometheus:9090
                query: '{query.Replace("'", "''", StringComparison.Ordinal)}'
        """;
}
