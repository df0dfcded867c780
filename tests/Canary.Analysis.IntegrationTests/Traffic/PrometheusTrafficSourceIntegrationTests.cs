using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Traffic;
using Xunit.Abstractions;
using static Canary.Analysis.IntegrationTests.Infrastructure.StandardFixture;

namespace Canary.Analysis.IntegrationTests.Traffic;

/// <summary>
/// The snapshot of <see cref="PrometheusTrafficSource"/> against the engine's own grouped answer and the generated counts, on
/// Prometheus (<see cref="PrometheusTrafficSourceOnPrometheusTests"/>) and VictoriaMetrics
/// (<see cref="PrometheusTrafficSourceOnVictoriaMetricsTests"/>). The oracle is always the engine under test: MetricsQL's
/// <c>increase()</c> starts from the last sample before the window and does not extrapolate, so its counts differ from
/// Prometheus' by design, and the source must report exactly what its engine answers.
/// </summary>
public abstract class PrometheusTrafficSourceIntegrationTests(PrometheusApiFixtureBase prometheus, ITestOutputHelper output) : IDisposable
{
    private readonly PrometheusMetricProvider _provider = new(new PrometheusOptions { Address = prometheus.Address });

    public void Dispose()
    {
        _provider.Dispose();
        GC.SuppressFinalize(this);
    }

    [PrometheusTheory]
    [InlineData(AspNetJob, FixtureVersions.Canary)]
    [InlineData(AspNetJob, FixtureVersions.Baseline)]
    [InlineData(ExpressJob, FixtureVersions.Canary)]
    [InlineData(ExpressJob, FixtureVersions.Baseline)]
    [InlineData(ReducedJob, FixtureVersions.Canary)]
    public async Task ReadAsync_StandardFixture_CountsEqualPrometheusSumByEndpointAndCode(string job, string version)
    {
        var shape = JobShape.ByJob(job);
        var oracle = await prometheus.Client.QueryAsync(shape.SumIncrease(version, Window, by: $"{shape.EndpointLabel}, {shape.CodeLabel}"), End);

        var snapshot = await Source(shape).ReadAsync(new TrafficQuery(shape.Selector(version), End, Window));

        var expected = oracle.GroupBy(s => s[shape.EndpointLabel]).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), snapshot.Endpoints.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(prometheus.Data.Endpoints(job).Count, snapshot.Endpoints.Count);
        Assert.Empty(snapshot.Warnings);
        foreach (var (endpoint, samples) in expected)
        {
            var traffic = snapshot.Endpoints[endpoint];
            Close.Equal(samples.Sum(s => s.Value), traffic.Requests, what: endpoint + " requests");
            Close.Equal(samples.Where(s => s[shape.CodeLabel][0] == '2').Sum(s => s.Value), traffic.Successes, what: endpoint + " successes");
            foreach (var byClass in samples.GroupBy(s => s[shape.CodeLabel][0]))
            {
                var statusClass = (StatusClass)(byClass.Key - '0');
                Close.Equal(byClass.Sum(s => s.Value), traffic[statusClass], what: $"{endpoint} {statusClass}");
            }
        }
    }

    /// <summary>
    /// increase() over [End − 15 min, End] in Prometheus 2.x sees a sample exactly at the window start, so it equals the
    /// exact count for a series that exists through the window without a restart. It extrapolates only where a
    /// (endpoint, code) series is born inside the window, or where a restart loses a scrape; then a small count can be
    /// off by a fraction of a request per series. Bound: |library − exact| ≤ 2 % of exact + 2 requests. VictoriaMetrics'
    /// increase() takes the last sample before the window as its start and never extrapolates: within the same bound
    /// (exact for series that live through the window; a series born inside it counts from 0 only when its first value is
    /// small against its next increment, MetricsQL's heuristic).
    /// </summary>
    [PrometheusTheory]
    [InlineData(AspNetJob, FixtureVersions.Canary)]
    [InlineData(AspNetJob, FixtureVersions.Baseline)]
    [InlineData(ExpressJob, FixtureVersions.Canary)]
    [InlineData(ReducedJob, FixtureVersions.Canary)]
    public async Task ReadAsync_StandardFixture_RequestsCloseToExactGeneratedCounts(string job, string version)
    {
        var shape = JobShape.ByJob(job);
        var snapshot = await Source(shape).ReadAsync(new TrafficQuery(shape.Selector(version), End, Window));

        double worst = 0;
        foreach (var endpoint in prometheus.Data.Endpoints(job))
        {
            var exact = prometheus.Data.RequestCount(job, version, endpoint, from: End - Window, to: End);
            var exactOk = prometheus.Data.Counts(End - Window, End)
                .Where(c => c.Job == job && c.Version == version && c.Endpoint == endpoint && c.Code[0] == '2')
                .Sum(c => c.Requests);
            var traffic = snapshot.Endpoints[endpoint];
            var bound = (0.02 * exact) + 2;
            Assert.True(Math.Abs(traffic.Requests - exact) <= bound, $"{endpoint}: library {traffic.Requests:R}, exact {exact}");
            Assert.True(Math.Abs(traffic.Successes - exactOk) <= (0.02 * exactOk) + 2, $"{endpoint}: library successes {traffic.Successes:R}, exact {exactOk}");
            worst = Math.Max(worst, exact == 0 ? Math.Abs(traffic.Requests) : Math.Abs(traffic.Requests - exact) / exact);
        }

        output.WriteLine($"{job}/{version}: worst relative deviation from the exact counts {worst:P3}");
    }

    [PrometheusFact]
    public async Task ReadAsync_WindowWithCanaryRestart_RequestsCloseToExactCounts()
    {
        // (00:28, 00:43]: web-canary-0 misses the 00:37:30 scrape and restarts from 0; increase() must not go negative
        // or count the reset as a drop.
        var end = AspNetCanaryRestart.AddMinutes(5.5);
        var snapshot = await Source(JobShape.AspNet).ReadAsync(new TrafficQuery(JobShape.AspNet.Selector(FixtureVersions.Canary), end, Window));
        var oracle = await prometheus.Client.QueryAsync(JobShape.AspNet.SumIncrease(FixtureVersions.Canary, Window, by: "endpoint"), end);

        Assert.All(oracle, s => Close.Equal(s.Value, snapshot.Endpoints[s["endpoint"]].Requests, what: s["endpoint"]));
        var busiest = snapshot.Endpoints[AspNetBusiestEndpoint].Requests;
        var exact = prometheus.Data.RequestCount(AspNetJob, FixtureVersions.Canary, AspNetBusiestEndpoint, from: end - Window, to: end);
        output.WriteLine($"{AspNetBusiestEndpoint}: library {busiest:R}, exact {exact}");
        Assert.InRange(busiest / exact, 0.9, 1.1);
    }

    [PrometheusTheory]
    [InlineData("canary\"} or vector(1) #")]
    [InlineData("canary\\")]
    [InlineData("\\\"} or vector(1) or {__name__=~\".+")]
    [InlineData("canary\n")]
    public async Task ReadAsync_SelectorValueWithInjectionAttempt_IsEscapedAndMatchesNothing(string hostileVersion)
    {
        var source = Source(JobShape.AspNet);
        var selector = LabelSelector.Of(LabelMatcher.Equal("job", AspNetJob), LabelMatcher.Equal("version", hostileVersion));

        var snapshot = await source.ReadAsync(new TrafficQuery(selector, End, Window));

        output.WriteLine(source.BuildRequestQuery(new TrafficQuery(selector, End, Window)));
        Assert.Empty(snapshot.Endpoints); // an injected "or vector(1)" would add a label-less series
        Assert.Equal(0, snapshot.TotalRequests);
    }

    [PrometheusFact]
    public async Task ReadAsync_ParsedSelectorWithEscapedQuote_IsEscapedAndMatchesNothing()
    {
        var selector = LabelSelector.Parse("job=\"aspnet\",version=\"canary\\\"} or vector(1) #\"");
        Assert.Equal("canary\"} or vector(1) #", selector.Matchers[1].Value);

        var snapshot = await Source(JobShape.AspNet).ReadAsync(new TrafficQuery(selector, End, Window));

        Assert.Empty(snapshot.Endpoints);
    }

    [PrometheusFact]
    public async Task ReadAsync_RegexAlternativeWithQuotesAndBackslashes_StillMatchesOnlyTheRealValue()
    {
        // The hostile alternatives are escaped inside one string literal, so the query stays valid and selects exactly
        // the canary series: the same counts as Prometheus' own query for version="canary".
        var selector = LabelSelector.Of(
            LabelMatcher.Equal("job", AspNetJob),
            LabelMatcher.Regex("version", "canary|\"} or vector(1) #|x\\\\y|'`"));
        var oracle = await prometheus.Client.QueryAsync(JobShape.AspNet.SumIncrease(FixtureVersions.Canary, Window, by: "endpoint"), End);

        var snapshot = await Source(JobShape.AspNet).ReadAsync(new TrafficQuery(selector, End, Window));

        Assert.Equal(oracle.Count, snapshot.Endpoints.Count);
        Assert.All(oracle, s => Close.Equal(s.Value, snapshot.Endpoints[s["endpoint"]].Requests, what: s["endpoint"]));
    }

    /// <summary>
    /// A controller's looks at random tick offsets, each reading the time since the last: every window is sent as a valid
    /// range on Prometheus' millisecond grid, ⌊end⌋ − ⌊start⌋, and equals what Prometheus itself answers for it.
    /// </summary>
    [PrometheusFact]
    public async Task ReadAsync_LooksAtTickOffsets_EachWindowEqualsPrometheusOnTheMillisecondGrid()
    {
        var shape = JobShape.AspNet;
        var selector = shape.Selector(FixtureVersions.Canary);
        var random = new Random(20261202);
        var last = End - TimeSpan.FromMinutes(10) + TimeSpan.FromTicks(random.NextInt64(TimeSpan.TicksPerSecond));
        for (var look = 0; look < 5; look++)
        {
            var now = last + TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(random.NextInt64(-TimeSpan.TicksPerSecond, TimeSpan.TicksPerSecond));
            var snapshot = await Source(shape).ReadAsync(new TrafficQuery(selector, now, now - last));
            var range = now.ToUnixTimeMilliseconds() - last.ToUnixTimeMilliseconds();
            var oracleQuery = shape.SumIncrease(FixtureVersions.Canary, TimeSpan.FromSeconds(1), by: shape.EndpointLabel)
                .Replace("[1s]", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{range}ms]"), StringComparison.Ordinal);
            var oracle = await prometheus.Client.QueryAsync(oracleQuery, now);

            Assert.Empty(snapshot.Warnings);
            Assert.Equal(oracle.Select(s => s[shape.EndpointLabel]).Order(StringComparer.Ordinal), snapshot.Endpoints.Keys.Order(StringComparer.Ordinal));
            Assert.All(oracle, s => Close.Equal(s.Value, snapshot.Endpoints[s[shape.EndpointLabel]].Requests, what: s[shape.EndpointLabel]));
            Assert.NotEmpty(oracle);
            last = now;
        }
    }

    private PrometheusTrafficSource Source(JobShape shape) => new(_provider, shape.Convention);
}

[Collection(PrometheusCollectionDefinition.Name)]
public sealed class PrometheusTrafficSourceOnPrometheusTests(PrometheusFixture prometheus, ITestOutputHelper output)
    : PrometheusTrafficSourceIntegrationTests(prometheus, output);

[Collection(VictoriaMetricsCollectionDefinition.Name)]
[OnEngine(PrometheusApiEngine.VictoriaMetrics)]
public sealed class PrometheusTrafficSourceOnVictoriaMetricsTests(VictoriaMetricsFixture victoriaMetrics, ITestOutputHelper output)
    : PrometheusTrafficSourceIntegrationTests(victoriaMetrics, output);
