namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// The standard integration fixture: a service seen through three jobs, samples every 15 s from
/// <see cref="Start"/> to <see cref="End"/> (inclusive), canary ≈ <see cref="CanaryWeight"/> of each
/// endpoint's traffic.
/// <list type="bullet">
/// <item><c>job="aspnet"</c> (prometheus-net: endpoint, code, method, version, pod): 22 endpoints (24 routes);
/// pods web-baseline-0, web-baseline-1 (restarts at <see cref="AspNetBaselineRestart"/>, inside the last
/// 15 min window) and web-canary-0 (restarts at <see cref="AspNetCanaryRestart"/>).</item>
/// <item><c>job="express"</c> (express-prom-bundle: path, status_code, method, version, pod): 10 paths.</item>
/// <item><c>job="aspnet-reduced"</c> (prometheus-net with code="2xx"/"4xx"/"5xx"): 6 endpoints.</item>
/// </list>
/// Every job has a rare endpoint whose canary gets no request in the last 15 min (it got 2 earlier, after the
/// canary restart, so its canary series is still exported at <see cref="End"/>), a rare
/// endpoint whose canary fails 25 % of the time while the aggregate canary success rate stays ≥ 98 %, and an
/// endpoint that only ever answers 503 (no 2xx series at all); several endpoints have no error series.
/// </summary>
public static class StandardFixture
{
    public const int Seed = 20260101;

    public const double CanaryWeight = 0.07;

    public const string AspNetJob = "aspnet";
    public const string ExpressJob = "express";
    public const string ReducedJob = "aspnet-reduced";

    // job="aspnet"
    public const string AspNetBusiestEndpoint = "/api/products";
    public const string AspNetRareEndpoint = "/api/reports/export";
    public const string AspNetSecondRareEndpoint = "/api/admin/audit";
    public const string AspNetFailingEndpoint = "/api/payments/refund";
    public const string AspNetAllErrorsEndpoint = "/api/legacy/sync";
    public const string AspNetNoErrorsEndpoint = "/api/catalog/categories";
    public const string AspNetSlowCanaryEndpoint = "/api/search";
    public const string AspNetCanaryPod = "web-canary-0";
    public const string AspNetRestartedBaselinePod = "web-baseline-1";

    // job="express"
    public const string ExpressRarePath = "/api/reports/export";
    public const string ExpressFailingPath = "/api/payments/refund";
    public const string ExpressAllErrorsPath = "/api/legacy/sync";
    public const string ExpressCanaryPod = "api-canary-0";

    // job="aspnet-reduced"
    public const string ReducedRareEndpoint = "/jobs/export";
    public const string ReducedFailingEndpoint = "/jobs/{id}/retry";
    public const string ReducedCanaryPod = "worker-canary-0";

    /// <summary>Distinct <c>endpoint</c> values of job="aspnet", each with series for both versions (24 routes:
    /// /api/orders and /api/users/me are each served with two methods, as prometheus-net labels them).</summary>
    public const int AspNetEndpointCount = 22;

    /// <summary>The canary failure rate of the failing endpoints.</summary>
    public const double FailingCanaryErrorRate = 0.25;

    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The evaluation time: the last sample of every series (2026-01-01T01:30:00Z).</summary>
    public static readonly DateTimeOffset End = Start.AddMinutes(90);

    public static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    /// <summary>The usual evaluation window, (End − 15 min, End].</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>web-baseline-1 misses the scrape at 01:22:00 and restarts from 0 (inside the last window).</summary>
    public static readonly DateTimeOffset AspNetBaselineRestart = End.AddMinutes(-8);

    /// <summary>web-canary-0 misses the scrape at 00:37:30 and restarts from 0.</summary>
    public static readonly DateTimeOffset AspNetCanaryRestart = Start.AddMinutes(37.5);

    public static readonly DateTimeOffset ExpressCanaryRestart = Start.AddMinutes(40);

    /// <summary>The two canary requests of every rare endpoint (00:50 and 01:05: after the canary restarts,
    /// before the last window).</summary>
    public static readonly IReadOnlyList<DateTimeOffset> RareCanaryRequests = [Start.AddMinutes(50), Start.AddMinutes(65)];

    public static OpenMetricsFixtureBuilder CreateBuilder() =>
        new OpenMetricsFixtureBuilder(Seed, Start, End, Step)
            .AddJob(AspNet())
            .AddJob(Express())
            .AddJob(Reduced());

    public static OpenMetricsFixture Build() => CreateBuilder().Build();

    public static JobSpec AspNet() => new(
        AspNetJob,
        HistogramShape.PrometheusNet,
        [
            new PodSpec("web-baseline-0", FixtureVersions.Baseline),
            new PodSpec(AspNetRestartedBaselinePod, FixtureVersions.Baseline, AspNetBaselineRestart),
            new PodSpec(AspNetCanaryPod, FixtureVersions.Canary, AspNetCanaryRestart),
        ],
        [
            Busy(AspNetBusiestEndpoint, "GET", 150, 0.015, ("200", 0.995), ("500", 0.005)),
            Busy("/api/products/{id}", "GET", 120, 0.01, ("200", 0.988), ("404", 0.009), ("500", 0.003)),
            Busy("/api/products/{id}/reviews", "GET", 45, 0.03, ("200", 0.997), ("500", 0.003)),
            Busy(AspNetNoErrorsEndpoint, "GET", 60, 0.005, ("200", 1)),
            Busy(AspNetSlowCanaryEndpoint, "GET", 110, 0.06, ("200", 0.994), ("500", 0.004), ("503", 0.002)) with
            {
                Canary = Traffic(110 * CanaryWeight, 0.09, ("200", 0.994), ("500", 0.004), ("503", 0.002)),
            },
            Busy("/api/cart", "GET", 90, 0.02, ("200", 0.996), ("500", 0.004)),
            Busy("/api/cart/items", "POST", 50, 0.025, ("201", 0.995), ("400", 0.003), ("500", 0.002)),
            Busy("/api/cart/items/{id}", "DELETE", 20, 0.02, ("204", 0.998), ("404", 0.002)),
            Busy("/api/orders", "POST", 40, 0.08, ("201", 0.996), ("500", 0.004)),
            Busy("/api/orders/{id}", "GET", 55, 0.015, ("200", 0.995), ("404", 0.005)),
            Busy("/api/orders", "GET", 35, 0.04, ("200", 0.997), ("500", 0.003)),
            Busy("/api/checkout", "POST", 30, 0.2, ("200", 0.993), ("500", 0.005), ("503", 0.002)),
            Busy("/api/users/me", "GET", 100, 0.008, ("200", 0.999), ("401", 0.001)),
            Busy("/api/users/me", "PUT", 8, 0.03, ("200", 1)),
            Busy("/api/recommendations", "GET", 80, 0.12, ("200", 0.99), ("500", 0.01)),
            Busy("/api/inventory/{sku}", "GET", 70, 0.01, ("200", 0.997), ("500", 0.003)),
            Busy("/api/shipping/quote", "GET", 25, 0.15, ("200", 0.995), ("503", 0.005)),
            Busy("/api/config", "GET", 15, 0.002, ("200", 1)),
            Busy("/api/notifications", "GET", 40, 0.02, ("200", 0.998), ("500", 0.002)),
            Busy("/api/payments", "POST", 22, 0.3, ("200", 0.995), ("500", 0.005)),
            Failing(AspNetFailingEndpoint, "500"),
            Rare(AspNetRareEndpoint, "GET", 4),
            Rare(AspNetSecondRareEndpoint, "GET", 6, ("200", 0.9), ("403", 0.1)),
            Busy(AspNetAllErrorsEndpoint, "POST", 0.5, 0.01, ("503", 1)),
        ]);

    public static JobSpec Express() => new(
        ExpressJob,
        HistogramShape.ExpressPromBundle,
        [
            new PodSpec("api-baseline-0", FixtureVersions.Baseline),
            new PodSpec(ExpressCanaryPod, FixtureVersions.Canary, ExpressCanaryRestart),
        ],
        [
            Busy("/api/products", "GET", 80, 0.02, ("200", 0.996), ("500", 0.004)),
            Busy("/api/products/#val", "GET", 60, 0.015, ("200", 0.99), ("404", 0.008), ("500", 0.002)),
            Busy("/api/cart", "GET", 40, 0.03, ("200", 0.997), ("500", 0.003)),
            Busy("/api/orders", "POST", 20, 0.1, ("201", 0.996), ("500", 0.004)),
            Busy("/api/orders/#val", "GET", 25, 0.02, ("200", 0.995), ("404", 0.005)),
            Busy("/api/search", "GET", 50, 0.07, ("200", 0.995), ("503", 0.005)),
            Busy("/api/users/me", "GET", 45, 0.01, ("200", 1)),
            Failing(ExpressFailingPath, "500"),
            Rare(ExpressRarePath, "GET", 4),
            Busy(ExpressAllErrorsPath, "POST", 0.5, 0.01, ("503", 1)),
        ]);

    public static JobSpec Reduced() => new(
        ReducedJob,
        HistogramShape.PrometheusNet,
        [
            new PodSpec("worker-baseline-0", FixtureVersions.Baseline),
            new PodSpec(ReducedCanaryPod, FixtureVersions.Canary),
        ],
        [
            Busy("/jobs/ingest", "POST", 60, 0.05, ("2xx", 0.995), ("5xx", 0.005)),
            Busy("/jobs/{id}", "GET", 30, 0.01, ("2xx", 0.99), ("4xx", 0.01)),
            Busy("/jobs", "GET", 20, 0.02, ("2xx", 1)),
            Busy("/jobs/{id}/cancel", "POST", 5, 0.03, ("2xx", 0.98), ("4xx", 0.015), ("5xx", 0.005)),
            Failing(ReducedFailingEndpoint, "5xx", success: "2xx"),
            Rare(ReducedRareEndpoint, "GET", 4, ("2xx", 1)),
        ]);

    private static TrafficProfile Traffic(double requestsPerSecond, double medianLatency, params (string Code, double Share)[] codes) => new()
    {
        RequestsPerSecond = requestsPerSecond,
        MedianLatencySeconds = medianLatency,
        CodeShares = codes.ToDictionary(c => c.Code, c => c.Share),
    };

    /// <summary>An endpoint with <paramref name="totalRequestsPerSecond"/> over both versions, the same behaviour in both.</summary>
    private static EndpointProfile Busy(string name, string method, double totalRequestsPerSecond, double medianLatency, params (string Code, double Share)[] codes) =>
        new(name, method,
            Traffic(totalRequestsPerSecond * (1 - CanaryWeight), medianLatency, codes),
            Traffic(totalRequestsPerSecond * CanaryWeight, medianLatency, codes));

    /// <summary>0.3 req/s in total; baseline 0.5 % errors, canary <see cref="FailingCanaryErrorRate"/>.</summary>
    private static EndpointProfile Failing(string name, string errorCode, string success = "200") =>
        new(name, "POST",
            Traffic(0.3 * (1 - CanaryWeight), 0.2, (success, 0.995), (errorCode, 0.005)),
            Traffic(0.3 * CanaryWeight, 0.2, (success, 1 - FailingCanaryErrorRate), (errorCode, FailingCanaryErrorRate)));

    /// <summary>A few baseline requests per 15 min; the canary only gets <see cref="RareCanaryRequests"/>.</summary>
    private static EndpointProfile Rare(string name, string method, double requestsPer15Minutes, params (string Code, double Share)[] codes)
    {
        if (codes.Length == 0)
        {
            codes = [("200", 1)];
        }

        return new(name, method,
            Traffic(requestsPer15Minutes / 900, 0.5, codes),
            Traffic(0, 0.5, codes) with
            {
                FixedRequests = RareCanaryRequests.Select(t => new FixedRequest(t, codes[0].Code, 0.4)).ToArray(),
            });
    }
}
