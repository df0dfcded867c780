using System.Globalization;

namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// A simple service with N endpoints (prometheus-net shape, job="many-N", one pod per version, codes 200 and
/// 500 on every endpoint and version, the first 500 in the first 15 s), for "one query whatever the number of endpoints" tests and for benchmarks.
/// Samples every 15 s over the <see cref="Duration"/> ending at <see cref="End"/> (= <see cref="StandardFixture.End"/>).
/// </summary>
public static class ManyEndpointsFixture
{
    public const int Seed = 4242;

    public const double CanaryWeight = StandardFixture.CanaryWeight;

    public const string CanaryPod = "many-canary-0";
    public const string BaselinePod = "many-baseline-0";

    public static readonly DateTimeOffset End = StandardFixture.End;

    /// <summary>Long enough for a 15 min window at <see cref="End"/>, short enough to keep 200 endpoints cheap.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(20);

    public static DateTimeOffset Start => End - Duration;

    /// <summary>The job label of the N-endpoint service: "many-5", "many-200", …</summary>
    public static string JobName(int endpointCount) => "many-" + endpointCount.ToString(CultureInfo.InvariantCulture);

    /// <summary>Endpoint i (0-based): "/api/e000", "/api/e001", …</summary>
    public static string EndpointName(int index) => "/api/e" + index.ToString("D3", CultureInfo.InvariantCulture);

    /// <summary>Total requests per second of endpoint i over both versions: 5, 10, …, 50 req/s, repeating.</summary>
    public static double RequestsPerSecond(int index) => 5 + (5 * (index % 10));

    /// <summary>Share of 500s of endpoint i (both versions): 0.2 % … 0.8 %.</summary>
    public static double ErrorShare(int index) => 0.002 + (0.001 * (index % 7));

    public static JobSpec CreateJob(int endpointCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(endpointCount);
        var endpoints = Enumerable.Range(0, endpointCount).Select(i =>
        {
            var codes = new Dictionary<string, double> { ["200"] = 1 - ErrorShare(i), ["500"] = ErrorShare(i) };
            var latency = 0.01 * (1 + (i % 5));

            // One 500 in the first scrape interval, so every (endpoint, version) has both code series.
            FixedRequest[] firstError = [new(Start + StandardFixture.Step, "500", latency)];
            return new EndpointProfile(EndpointName(i), "GET",
                new TrafficProfile { RequestsPerSecond = RequestsPerSecond(i) * (1 - CanaryWeight), CodeShares = codes, MedianLatencySeconds = latency, FixedRequests = firstError },
                new TrafficProfile { RequestsPerSecond = RequestsPerSecond(i) * CanaryWeight, CodeShares = codes, MedianLatencySeconds = latency, FixedRequests = firstError });
        }).ToArray();

        return new JobSpec(
            JobName(endpointCount),
            HistogramShape.PrometheusNet,
            [new PodSpec(BaselinePod, FixtureVersions.Baseline), new PodSpec(CanaryPod, FixtureVersions.Canary)],
            endpoints);
    }

    /// <summary>One fixture holding a job per endpoint count, e.g. <c>Build(5, 200)</c>.</summary>
    public static OpenMetricsFixture Build(params int[] endpointCounts)
    {
        ArgumentNullException.ThrowIfNull(endpointCounts);
        var builder = new OpenMetricsFixtureBuilder(Seed, Start, End, StandardFixture.Step);
        foreach (var count in endpointCounts.Distinct())
        {
            builder.AddJob(CreateJob(count));
        }

        return builder.Build();
    }
}
