using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Canary.Analysis.Demo;

/// <summary>
/// One version of the demo shop: a real ASP.NET Core service on Kestrel at 127.0.0.1 (a free port), instrumented with
/// prometheus-net.AspNetCore exactly as a team would instrument it, and exposing <c>/metrics</c>.
/// </summary>
/// <remarks>
/// <para>Each service has its OWN prometheus-net registry: two versions in one process must not share the static
/// default registry, or the canary's counters would be the baseline's.</para>
/// <para>Faults are deterministic counters, not random draws, so every run of the demo (and its test) shows the same
/// numbers: a background error on one request in 200 of each API endpoint (both versions, the "0.5 % baseline
/// errors" of real services), and, when <see cref="ServiceOptions.PayFailEvery"/> is set, a 500 on every n-th request to
/// <c>/api/pay</c> (n = 4: 25 %). The n-th, 2n-th, … fail, not the first: a failure on the very first request would hand the
/// analysis its evidence at once; this way it has to gather it over several looks.</para>
/// </remarks>
internal sealed class DemoService : IAsyncDisposable
{
    /// <summary>The shop's API endpoints (the route patterns prometheus-net reports as the <c>endpoint</c> label).</summary>
    public static readonly IReadOnlyList<string> ApiEndpoints = ["/api/search", "/api/products", "/api/cart", "/api/checkout", "/api/pay"];

    private const int BackgroundFailEvery = 200;

    private readonly WebApplication _app;

    private DemoService(WebApplication app, Uri address, ServiceOptions options)
    {
        _app = app;
        Address = address;
        Options = options;
    }

    /// <summary>Gets the base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Gets the scrape address, <c>/metrics</c> under <see cref="Address"/>.</summary>
    public Uri MetricsAddress => new(Address, "metrics");

    public ServiceOptions Options { get; }

    public static async Task<DemoService> StartAsync(ServiceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"] });
        builder.Logging.ClearProviders(); // the demo's console shows decisions, not request logs
        var app = builder.Build();
        app.UseRouting();
        app.UseHttpMetrics(metrics => metrics.SetMetricFactory(Prometheus.Metrics.WithCustomRegistry(registry)));

        foreach (var endpoint in ApiEndpoints)
        {
            var fault = endpoint == "/api/pay" ? options.PayFailEvery : null;
            var counter = new RequestCounter();
            app.MapGet(endpoint, () =>
            {
                var n = counter.Next();
                var failed = (fault is { } every && n % every == 0) || n % BackgroundFailEvery == BackgroundFailEvery / 2;
                return failed ? Results.StatusCode(StatusCodes.Status500InternalServerError) : Results.Ok(options.Version);
            });
        }

        app.MapGet("/health", () => Results.Ok("healthy")); // probed by load balancers; not judged (see LiveDemo's selector)
        app.MapMetrics("/metrics", registry);
        await app.StartAsync(cancellationToken);

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new DemoService(app, new Uri(bound.TrimEnd('/') + "/"), options);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Counts requests to one endpoint; thread-safe, as Kestrel serves requests concurrently.</summary>
    private sealed class RequestCounter
    {
        private long _count;

        public long Next() => Interlocked.Increment(ref _count);
    }
}
