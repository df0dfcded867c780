using Canary.Analysis.Analysis;
using Canary.Analysis.Configuration;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Simulation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Configuration;

public sealed class PolicyDocumentTests
{
    /// <summary>The document of issue 13, as written there.</summary>
    internal const string Checkout = """
        apiVersion: canary-analysis/v1
        kind: CanaryPolicy
        metadata:
          name: checkout
        source:
          prometheus:
            address: http://prometheus:9090
          convention: express-prom-bundle
        canary: 'version="canary"'
        baseline: 'version="stable"'
        weights:
          endpoints:
            /api/pay: 0.4
            /api/search: 0.2
          default: 0.02
        checks:
          error-rate:
            kind: sequential-error-rate
            alpha: 0.05
          success-rate:
            kind: success-rate
            minimumSuccessRate: 0.95
            minimumRequestsPerEndpoint: 50
            window: 15m
          latency:
            kind: latency
            quantile: 0.99
            maximumIncrease: 0.2
        steps:
          - setWeight: 5
          - analysis: { name: fail-fast, failFast: true, interval: 1m, duration: 13m, checks: [error-rate, success-rate] }
          - setWeight: 10
          - analysis: { name: soak, interval: 1m, duration: 24h, checks: [error-rate, success-rate, latency] }
        """;

    private static readonly DateTimeOffset Start = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheIssuesDocument_LoadsAsWritten()
    {
        var document = PolicyDocument.Parse(Checkout, "checkout.yaml", PolicyDocumentFormat.Yaml);

        Assert.Equal("checkout", document.Name);
        Assert.Same(TrafficConvention.ExpressPromBundle, document.Convention);
        Assert.Equal(new Uri("http://prometheus:9090"), document.PrometheusAddress);
        Assert.Equal(LabelSelector.Parse("version=\"canary\""), document.Canary);
        Assert.Equal(LabelSelector.Parse("version=\"stable\""), document.Baseline);
        Assert.Equal(["error-rate", "success-rate", "latency"], document.CheckNames);

        var policy = document.Build(NoTraffic.Instance);
        Assert.Equal("checkout", policy.Name);
        Assert.Equal([CanaryStepKind.SetWeight, CanaryStepKind.Analysis, CanaryStepKind.SetWeight, CanaryStepKind.Analysis], policy.Steps.Select(s => s.Kind));
        Assert.Equal([5, 10], policy.Steps.Where(s => s.Kind == CanaryStepKind.SetWeight).Select(s => s.Weight));

        var failFast = policy.Steps[1];
        Assert.True(failFast.FailFast);
        Assert.Equal("fail-fast", failFast.Name);
        Assert.Equal(["error-rate", "success-rate"], failFast.Metrics.Select(m => m.Name));
        Assert.All(failFast.Metrics, m => Assert.Equal((TimeSpan.FromMinutes(1), 13, 12, TimeSpan.FromMinutes(1)), (m.Interval!.Value, m.Count!.Value, m.InconclusiveLimit, m.InitialDelay)));

        var soak = policy.Steps[3];
        Assert.False(soak.FailFast);
        Assert.All(soak.Metrics, m => Assert.Equal(24 * 60, m.Count));

        // One instance per declared check: the sequential check's α covers both steps.
        Assert.Same(failFast.Metrics[0].Check, soak.Metrics[0].Check);
        Assert.IsType<SequentialErrorRateCheck>(failFast.Metrics[0].Check);
        Assert.IsType<SuccessRateCheck>(failFast.Metrics[1].Check);
        Assert.IsType<LatencyCheck>(soak.Metrics[2].Check);
        Assert.Equal(TimeSpan.FromMinutes(15), failFast.Metrics[1].Check.Description.Window);

        var options = document.CreatePrometheusOptions();
        Assert.Equal(new Uri("http://prometheus:9090"), options.Address);
    }

    [Fact]
    public void TheSameDocumentInJson_BuildsTheSamePolicy()
    {
        const string json = """
            {
              "apiVersion": "canary-analysis/v1", "kind": "CanaryPolicy", "metadata": { "name": "checkout" },
              "source": { "prometheus": { "address": "http://prometheus:9090" }, "convention": "express-prom-bundle" },
              "canary": "version=\"canary\"", "baseline": "version=\"stable\"",
              "weights": { "endpoints": { "/api/pay": 0.4, "/api/search": 0.2 }, "default": 0.02 },
              "checks": {
                "error-rate": { "kind": "sequential-error-rate", "alpha": 0.05 },
                "success-rate": { "kind": "success-rate", "minimumSuccessRate": 0.95, "minimumRequestsPerEndpoint": 50, "window": "15m" },
                "latency": { "kind": "latency", "quantile": 0.99, "maximumIncrease": 0.2 }
              },
              "steps": [
                { "setWeight": 5 },
                { "analysis": { "name": "fail-fast", "failFast": true, "interval": "1m", "duration": "13m", "checks": ["error-rate", "success-rate"] } },
                { "setWeight": 10 },
                { "analysis": { "name": "soak", "interval": "1m", "duration": "24h", "checks": ["error-rate", "success-rate", "latency"] } },
              ],
            }
            """;

        var fromYaml = PolicyDocument.Parse(Checkout, "checkout.yaml", PolicyDocumentFormat.Yaml).Build(NoTraffic.Instance);
        var fromJson = PolicyDocument.Parse(json, "checkout.json", PolicyDocumentFormat.Json).Build(NoTraffic.Instance);

        Assert.Equal(Describe(fromYaml), Describe(fromJson));
    }

    /// <summary>
    /// A document and the code it stands for make the same decisions: both policies run on the same seeded traffic, minute by
    /// minute, and every measurement of their timelines (time, metric, phase, value, reason) is the same.
    /// </summary>
    [Theory]
    [InlineData(0.005)] // healthy: the fail-fast step completes, the soak runs
    [InlineData(0.25)] // /pay fails a quarter of its requests: rolled back
    public void ADocument_DecidesAsTheEquivalentCode(double payErrorRate)
    {
        const string yaml = """
            apiVersion: canary-analysis/v1
            kind: CanaryPolicy
            metadata: { name: pay }
            canary: 'version="canary"'
            baseline: 'version="baseline"'
            weights:
              endpoints: { /pay: 0.4, /cart: 0.2, /search: 0.2, /home: 0.2 }
            checks:
              error-rate: { kind: sequential-error-rate, minimumRequestsPerEndpoint: 30, nonInferiorityMargin: 0.05 }
              floor: { kind: success-rate, minimumSuccessRate: 0.9, window: 5m }
            steps:
              - setWeight: 5
              - analysis: { name: fail-fast, failFast: true, interval: 1m, duration: 13m, checks: [error-rate, floor] }
              - setWeight: 10
              - analysis: { name: soak, interval: 1m, duration: 30m, checks: [error-rate, floor] }
            """;

        // A controller ticking every minute; every decision, the advances included, as the rollout states it.
        List<string> Run(Func<ITrafficSource, CanaryPolicy> build)
        {
            var source = Source(payErrorRate);
            var rollout = new CanaryRollout(build(source), Start);
            var decisions = new List<string>();
            for (var now = Start; now <= Start + TimeSpan.FromMinutes(50); now += TimeSpan.FromMinutes(1))
            {
                var decision = rollout.TickUntilSettledAsync(now, d => decisions.Add($"{now:HH:mm} {d}")).GetAwaiter().GetResult();
                if (decision.Action is RolloutAction.Rollback or RolloutAction.Promote)
                {
                    break;
                }
            }

            return decisions;
        }

        var document = PolicyDocument.Parse(yaml, "pay.yaml", PolicyDocumentFormat.Yaml);
        var fromDocument = Run(document.Build);
        var fromCode = Run(Code);

        Assert.Equal(fromCode, fromDocument);
        if (payErrorRate > 0.1)
        {
            Assert.StartsWith("Rollback", fromDocument[^1][6..], StringComparison.Ordinal);
        }
        else
        {
            Assert.True(fromDocument.Count > 13, "the healthy canary goes through the fail-fast step's 13 looks");
            Assert.DoesNotContain(fromDocument, d => d.Contains("Rollback", StringComparison.Ordinal));
        }
    }

    private static CanaryPolicy Code(ITrafficSource source)
    {
        static EndpointWeights Weights() => new() { ["/pay"] = 0.4, ["/cart"] = 0.2, ["/search"] = 0.2, ["/home"] = 0.2 };
        var errorRate = new SequentialErrorRateCheck(source, SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector, TimeSpan.FromMinutes(1),
            new SequentialErrorRateCriteria { Weights = Weights(), MinimumRequestsPerEndpoint = 30, NonInferiorityMargin = 0.05 });
        var floor = new SuccessRateCheck(source, SimulatedTrafficSource.CanarySelector, TimeSpan.FromMinutes(5), new SuccessRateCriteria { Weights = Weights(), MinimumSuccessRate = 0.9 });

        CanaryStep Analysis(string name, int minutes, bool failFast)
        {
            var metrics = new[] { ("error-rate", (IAnalysisCheck)errorRate), ("floor", floor) }.Select(c => new AnalysisMetric
            {
                Name = c.Item1,
                Check = c.Item2,
                Interval = TimeSpan.FromMinutes(1),
                InitialDelay = TimeSpan.FromMinutes(1),
                Count = minutes,
                InconclusiveLimit = minutes - 1,
            });
            return failFast ? CanaryStep.FailFastAnalysis(name, metrics) : CanaryStep.Analysis(name, metrics);
        }

        return new CanaryPolicy("pay", [CanaryStep.SetWeight(5), Analysis("fail-fast", 13, failFast: true), CanaryStep.SetWeight(10), Analysis("soak", 30, failFast: false)]);
    }

    private static SimulatedTrafficSource Source(double payErrorRate) => new(
        new SimulatedTrafficModel
        {
            Start = Start,
            Profile = TrafficProfile.Flat,
            CanaryWeight = 0.05,
            Endpoints =
            [
                new SimulatedEndpoint { Name = "/pay", RequestsPerSecond = 2, ErrorRate = 0.005 },
                new SimulatedEndpoint { Name = "/cart", RequestsPerSecond = 20, ErrorRate = 0.005 },
                new SimulatedEndpoint { Name = "/search", RequestsPerSecond = 40, ErrorRate = 0.005 },
                new SimulatedEndpoint { Name = "/home", RequestsPerSecond = 38, ErrorRate = 0.005 },
            ],
            Faults = payErrorRate > 0.005 ? [SimulatedFault.Errors(payErrorRate, "/pay")] : [],
        },
        seed: 20261206);

    [Fact]
    public void TheLinter_RunsOnDocuments()
    {
        const string yaml = """
            apiVersion: canary-analysis/v1
            kind: CanaryPolicy
            metadata: { name: too-short }
            canary: 'version="canary"'
            checks:
              floor: { kind: success-rate }
            steps:
              - setWeight: 50
              - analysis: { name: quick, interval: 1m, duration: 2m, checks: [floor] }
            """;

        var findings = PolicyDocument.Parse(yaml, "too-short.yaml", PolicyDocumentFormat.Yaml).Lint();

        // A 2-minute analysis at 50 % is neither fail-fast at a small weight nor a day's soak: the linter says so.
        Assert.NotEmpty(findings);
        Assert.Contains(findings, f => f.Severity >= LintSeverity.Warning);
    }

    private static string Describe(CanaryPolicy policy) => string.Join("\n", policy.Steps.Select(step =>
        $"{step.Kind} {step.Weight} {step.Duration} {step.Name} {step.FailFast} " + string.Join(";", step.Metrics.Select(m =>
            $"{m.Name}:{m.Check.GetType().Name}:{m.Interval}:{m.Count}:{m.InitialDelay}:{m.InconclusiveLimit}:{m.FailureLimit}:{m.ConsecutiveErrorLimit}:{m.Check.Description}")))) + $"\n{policy.Name} {policy.Replicas} {policy.MaxSurge}";

    private sealed class NoTraffic : ITrafficSource
    {
        public static NoTraffic Instance { get; } = new();

        public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default) => throw new InvalidOperationException("not read");
    }
}
