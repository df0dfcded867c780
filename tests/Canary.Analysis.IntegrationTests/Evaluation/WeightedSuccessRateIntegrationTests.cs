using Canary.Analysis.Evaluation;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Traffic;
using Xunit.Abstractions;
using static Canary.Analysis.IntegrationTests.Infrastructure.StandardFixture;

namespace Canary.Analysis.IntegrationTests.Evaluation;

/// <summary>
/// The weighted success rate the library computes (one grouped query + C# arithmetic) against the engine's own
/// answer to the hand-written weighted PromQL users maintain today. The engine is the oracle, never the library: Prometheus
/// (<see cref="WeightedSuccessRateOnPrometheusTests"/>) and VictoriaMetrics (<see cref="WeightedSuccessRateOnVictoriaMetricsTests"/>),
/// whose <c>increase()</c> counts differ (MetricsQL does not extrapolate) while every verdict below is the same.
/// </summary>
public abstract class WeightedSuccessRateIntegrationTests(PrometheusApiFixtureBase prometheus, ITestOutputHelper output) : IDisposable
{
    private readonly PrometheusMetricProvider _provider = new(new PrometheusOptions { Address = prometheus.Address });

    public void Dispose()
    {
        _provider.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// (job, version, minutes before <see cref="StandardFixture.End"/>): the last window of both versions (it holds the
    /// restart of web-baseline-1 at 01:22), and a canary window holding the canary pods' restarts.
    /// </summary>
    public static TheoryData<string, string, int> Windows => new()
    {
        { AspNetJob, FixtureVersions.Canary, 0 },
        { AspNetJob, FixtureVersions.Baseline, 0 },
        { AspNetJob, FixtureVersions.Canary, 47 },     // (00:28, 00:43]: web-canary-0 restarts at 00:37:30
        { ExpressJob, FixtureVersions.Canary, 0 },
        { ExpressJob, FixtureVersions.Baseline, 0 },
        { ExpressJob, FixtureVersions.Canary, 45 },    // (00:30, 00:45]: api-canary-0 restarts at 00:40
        { ReducedJob, FixtureVersions.Canary, 0 },
        { ReducedJob, FixtureVersions.Baseline, 0 },
    };

    [PrometheusTheory]
    [MemberData(nameof(Windows))]
    public async Task Evaluate_ExplicitUnequalWeights_EqualsHandWrittenWeightedPromQl(string job, string version, int minutesBeforeEnd)
    {
        var shape = JobShape.ByJob(job);
        var end = End.AddMinutes(-minutesBeforeEnd);

        // Every endpoint with requests in the window (exact generated counts; endpoints with none make the
        // hand-written 0/0 NaN and are the subject of another test). That includes the rare failing endpoint
        // (~19 canary requests in 15 min) and the endpoint that only answers 503 (no 2xx series at all, hence
        // the "or vector(0)" guard: without it the hand-written sum is empty, see the next test).
        var endpoints = prometheus.Data.Endpoints(job)
            .Where(e => prometheus.Data.RequestCount(job, version, e, from: end - Window, to: end) >= 5)
            .Order(StringComparer.Ordinal)
            .ToArray();
        var weights = endpoints.Select((e, i) => (Endpoint: e, Weight: e == AspNetFailingEndpoint || e == ExpressFailingPath || e == ReducedFailingEndpoint ? 3.0 : 0.25 + (0.5 * (i % 4)))).ToArray();
        if (job == AspNetJob)
        {
            Assert.True(endpoints.Length >= 20, $"{endpoints.Length} endpoints with requests");
            Assert.Contains(AspNetFailingEndpoint, endpoints);
        }

        var handWritten = shape.HandWrittenWeightedRate(version, Window, weights, guardEmptyNumerators: true);
        var expected = await prometheus.Client.QuerySingleAsync(handWritten, end);

        var snapshot = await new PrometheusTrafficSource(_provider, shape.Convention).ReadAsync(new TrafficQuery(shape.Selector(version), end, Window));
        var criteria = new SuccessRateCriteria { Weights = new EndpointWeights(), MinimumSuccessRate = 0.9, MinimumRequestsPerEndpoint = 1 };
        foreach (var (endpoint, weight) in weights)
        {
            criteria.Weights[endpoint] = weight;
        }

        var result = SuccessRateEvaluator.Evaluate(snapshot, criteria);

        output.WriteLine($"{job}/{version} at {end:HH:mm}: {endpoints.Length} endpoints, Prometheus {expected:R}, library {result.Value:R}; {result.Reason}");
        Assert.NotEqual(Verdict.Inconclusive, result.Verdict);
        Assert.Equal(endpoints.Length, result.Endpoints.Count(r => r.Status == EndpointStatus.Judged));
        Close.Equal(expected, result.Value, what: handWritten);
        Assert.Equal(expected >= 0.9 ? Verdict.Pass : Verdict.Fail, result.Verdict);
    }

    [PrometheusFact]
    public async Task Evaluate_EndpointsWithTwoXxSeries_EqualsUnguardedHandWrittenPromQl()
    {
        // The form users actually write (no "or vector(0)"), over every aspnet endpoint that has a 2xx series and
        // canary requests in the last window: 19 of the 22 (two rare endpoints are idle, /api/legacy/sync only answers 503).
        var endpoints = prometheus.Data.Endpoints(AspNetJob)
            .Where(e => e is not (AspNetRareEndpoint or AspNetSecondRareEndpoint or AspNetAllErrorsEndpoint))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var weights = endpoints.Select((e, i) => (Endpoint: e, Weight: e == AspNetFailingEndpoint ? 0.2 : 0.01 * (1 + (i % 5)))).ToArray();
        var expected = await prometheus.Client.QuerySingleAsync(JobShape.AspNet.HandWrittenWeightedRate(FixtureVersions.Canary, Window, weights), End);

        var snapshot = await ReadAsync(JobShape.AspNet, FixtureVersions.Canary, End, Window);
        var criteria = new SuccessRateCriteria { Weights = new EndpointWeights(), MinimumSuccessRate = 0.95, MinimumRequestsPerEndpoint = 10 };
        foreach (var (endpoint, weight) in weights)
        {
            criteria.Weights[endpoint] = weight;
        }

        var result = SuccessRateEvaluator.Evaluate(snapshot, criteria);

        output.WriteLine($"{endpoints.Length} endpoints: Prometheus {expected:R}, library {result.Value:R}; {result.Reason}");
        Assert.Equal(19, endpoints.Length);
        Close.Equal(expected, result.Value);
    }

    [PrometheusTheory]
    [InlineData(AspNetJob, AspNetBusiestEndpoint, AspNetAllErrorsEndpoint)]
    [InlineData(ExpressJob, "/api/products", ExpressAllErrorsPath)]
    public async Task HandWrittenWeightedPromQl_EndpointWithoutTwoXxSeries_IsEmptyWhileLibraryReportsZeroAndFails(string job, string busy, string allErrors)
    {
        var shape = JobShape.ByJob(job);
        (string, double)[] weights = [(busy, 0.8), (allErrors, 0.2)];

        // Prometheus: the numerator of /api/legacy/sync selects no series, so its term, and with it the whole
        // weighted sum, is an empty vector. A gate reading that as "no data" never sees the 100 % errors.
        var handWritten = await prometheus.Client.QueryAsync(shape.HandWrittenWeightedRate(FixtureVersions.Canary, Window, weights), End);
        var allErrorsRequests = await prometheus.Client.QuerySingleAsync(shape.SumIncrease(FixtureVersions.Canary, Window, allErrors), End);
        Assert.Empty(handWritten);
        Assert.True(allErrorsRequests >= 10, $"{allErrors}: {allErrorsRequests} canary requests");

        var snapshot = await ReadAsync(shape, FixtureVersions.Canary, End, Window);
        var result = SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria
        {
            Weights = new EndpointWeights { [busy] = 0.8, [allErrors] = 0.2 },
            MinimumSuccessRate = 0.95,
            MinimumRequestsPerEndpoint = 10,
        });

        output.WriteLine(result.ToString());
        var row = Assert.Single(result.Endpoints, r => r.Endpoint == allErrors);
        Assert.Equal(EndpointStatus.Judged, row.Status);
        Assert.Equal(0, row.Value);
        Close.Equal(allErrorsRequests, row.Requests);
        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.True(result.Value < 0.81, $"weighted rate {result.Value}");
        Assert.Contains(allErrors, result.Reason, StringComparison.Ordinal);
    }

    [PrometheusTheory]
    [InlineData(AspNetJob, FixtureVersions.Canary)]
    [InlineData(AspNetJob, FixtureVersions.Baseline)]
    [InlineData(ExpressJob, FixtureVersions.Canary)]
    [InlineData(ReducedJob, FixtureVersions.Canary)]
    public async Task Evaluate_TrafficWeighted_EqualsPrometheusAggregate(string job, string version)
    {
        var shape = JobShape.ByJob(job);
        var expected = await prometheus.Client.QuerySingleAsync(shape.Aggregate(version, Window), End);

        var snapshot = await ReadAsync(shape, version, End, Window);
        var result = SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria { Weights = EndpointWeights.TrafficWeighted(), MinimumSuccessRate = 0.95 });

        output.WriteLine($"Prometheus {expected:R}, library {result.Value:R}; {result.Reason}");
        Assert.Equal(Verdict.Pass, result.Verdict);
        Close.Equal(expected, result.Value);
        Close.Equal(expected, snapshot.AggregateSuccessRate);
    }

    [PrometheusTheory]
    [InlineData(AspNetJob)]
    [InlineData(ExpressJob)]
    [InlineData(ReducedJob)]
    public async Task Evaluate_EqualWeights_EqualsPrometheusAverageOfPerEndpointRates(string job)
    {
        var shape = JobShape.ByJob(job);

        // avg over endpoints with requests of 2xx/all; "or (all * 0)" keeps endpoints without a 2xx series at 0 %,
        // "> 0" drops idle endpoints (the library is told to leave them out with weight 0).
        var all = shape.SumIncrease(FixtureVersions.Canary, Window, by: shape.EndpointLabel);
        var ok = shape.SumIncrease(FixtureVersions.Canary, Window, successOnly: true, by: shape.EndpointLabel);
        var expected = await prometheus.Client.QuerySingleAsync($"avg(({ok} or ({all} * 0)) / ({all} > 0))", End);
        var idle = await prometheus.Client.QueryAsync($"{all} == 0", End);

        var weights = EndpointWeights.Equal();
        foreach (var sample in idle)
        {
            weights[sample[shape.EndpointLabel]] = 0;
        }

        var snapshot = await ReadAsync(shape, FixtureVersions.Canary, End, Window);
        var result = SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria { Weights = weights, MinimumSuccessRate = 0.5, MinimumRequestsPerEndpoint = 1 });

        output.WriteLine($"{idle.Count} idle endpoint(s); Prometheus {expected:R}, library {result.Value:R}; {result.Reason}");
        Assert.NotEmpty(idle);
        Assert.Equal(Verdict.Pass, result.Verdict);
        Close.Equal(expected, result.Value);
    }

    [PrometheusTheory]
    [InlineData(AspNetJob, AspNetRareEndpoint)]
    [InlineData(AspNetJob, AspNetSecondRareEndpoint)]
    [InlineData(ExpressJob, ExpressRarePath)]
    [InlineData(ReducedJob, ReducedRareEndpoint)]
    public async Task Evaluate_WeightedRareEndpointWithoutCanaryRequests_IsInconclusiveNamingIt(string job, string rare)
    {
        var shape = JobShape.ByJob(job);
        var busiest = prometheus.Data.Endpoints(job).MaxBy(e => prometheus.Data.RequestCount(job, FixtureVersions.Canary, e, from: End - Window, to: End))!;
        var rareIncrease = await prometheus.Client.QuerySingleAsync(shape.SumIncrease(FixtureVersions.Canary, Window, rare), End);
        Assert.Equal(0, rareIncrease); // its canary series exist at End, but they did not move in the window

        var snapshot = await ReadAsync(shape, FixtureVersions.Canary, End, Window);
        var result = SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria
        {
            Weights = new EndpointWeights { [busiest] = 0.8, [rare] = 0.2 },
            MinimumSuccessRate = 0.95,
        });

        output.WriteLine(result.ToString());
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains(rare, result.Reason, StringComparison.Ordinal);
        Assert.Contains("n=0", result.Reason, StringComparison.Ordinal);
        Assert.Equal(EndpointStatus.Insufficient, Assert.Single(result.Endpoints, r => r.Endpoint == rare).Status);
        Assert.True(double.IsNaN(result.Value));
    }

    /// <summary>15 min with a lowered minimum (the rare endpoint has ~19 canary requests), and 60 min with the default 50.</summary>
    [PrometheusTheory]
    [InlineData(AspNetJob, AspNetFailingEndpoint, 15, 10)]
    [InlineData(AspNetJob, AspNetFailingEndpoint, 60, 50)]
    [InlineData(ExpressJob, ExpressFailingPath, 60, 50)]
    [InlineData(ReducedJob, ReducedFailingEndpoint, 60, 50)]
    public async Task Evaluate_FailingRareEndpointWeighted_FailsWhileTrafficWeightedPasses(string job, string failing, int windowMinutes, int minimumRequests)
    {
        var shape = JobShape.ByJob(job);
        var window = TimeSpan.FromMinutes(windowMinutes);
        var busiest = prometheus.Data.Endpoints(job).MaxBy(e => prometheus.Data.RequestCount(job, FixtureVersions.Canary, e, from: End - window, to: End))!;
        (string, double)[] weights = [(busiest, 0.8), (failing, 0.2)];
        var weightedOracle = await prometheus.Client.QuerySingleAsync(shape.HandWrittenWeightedRate(FixtureVersions.Canary, window, weights), End);
        var aggregateOracle = await prometheus.Client.QuerySingleAsync(shape.Aggregate(FixtureVersions.Canary, window), End);
        const double threshold = 0.97;

        var snapshot = await ReadAsync(shape, FixtureVersions.Canary, End, window);
        var weighted = SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria
        {
            Weights = new EndpointWeights { [busiest] = 0.8, [failing] = 0.2 },
            MinimumSuccessRate = threshold,
            MinimumRequestsPerEndpoint = minimumRequests,
        });
        var aggregate = SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria
        {
            Weights = EndpointWeights.TrafficWeighted(),
            MinimumSuccessRate = threshold,
            MinimumRequestsPerEndpoint = minimumRequests,
        });

        output.WriteLine($"weighted: Prometheus {weightedOracle:R}; {weighted}");
        output.WriteLine($"aggregate: Prometheus {aggregateOracle:R}; {aggregate}");
        Assert.True(snapshot.Endpoints[failing].Requests >= minimumRequests, $"{failing}: n={snapshot.Endpoints[failing].Requests}");
        Assert.Equal(Verdict.Fail, weighted.Verdict);
        Assert.Contains(failing, weighted.Reason, StringComparison.Ordinal);
        Close.Equal(weightedOracle, weighted.Value);
        Assert.Equal(Verdict.Pass, aggregate.Verdict);
        Close.Equal(aggregateOracle, aggregate.Value);
    }

    private Task<TrafficSnapshot> ReadAsync(JobShape shape, string version, DateTimeOffset end, TimeSpan window) =>
        new PrometheusTrafficSource(_provider, shape.Convention).ReadAsync(new TrafficQuery(shape.Selector(version), end, window));
}

[Collection(PrometheusCollectionDefinition.Name)]
public sealed class WeightedSuccessRateOnPrometheusTests(PrometheusFixture prometheus, ITestOutputHelper output)
    : WeightedSuccessRateIntegrationTests(prometheus, output);

[Collection(VictoriaMetricsCollectionDefinition.Name)]
[OnEngine(PrometheusApiEngine.VictoriaMetrics)]
public sealed class WeightedSuccessRateOnVictoriaMetricsTests(VictoriaMetricsFixture victoriaMetrics, ITestOutputHelper output)
    : WeightedSuccessRateIntegrationTests(victoriaMetrics, output);
