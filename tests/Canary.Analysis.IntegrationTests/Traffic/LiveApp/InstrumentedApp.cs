using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Canary.Analysis.IntegrationTests.Traffic.LiveApp;

/// <summary>
/// A live ASP.NET Core app on 127.0.0.1 (Kestrel, free port) instrumented with prometheus-net.AspNetCore on its OWN
/// registry: <c>/api/a</c> → 200, <c>/api/b</c> → 200 (<c>?fail=true</c> → 500), <c>/api/c</c> → 404, <c>/metrics</c>.
/// </summary>
public sealed class InstrumentedApp : IAsyncDisposable
{
    /// <summary>The known traffic the tests drive: (path, expected status, count).</summary>
    public static readonly IReadOnlyList<(string Path, int Status, int Count)> KnownTraffic =
    [
        ("/api/a", 200, 40),
        ("/api/b", 200, 25),
        ("/api/b?fail=true", 500, 5),
        ("/api/c", 404, 3),
    ];

    private readonly WebApplication _app;
    private readonly HttpClient _client;

    private InstrumentedApp(WebApplication app, CollectorRegistry registry, Uri address)
    {
        _app = app;
        Registry = registry;
        Address = address;
        _client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public CollectorRegistry Registry { get; }

    /// <summary>The base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    public Uri MetricsAddress => new(Address, "metrics");

    public static async Task<InstrumentedApp> StartAsync()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"] });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseRouting();
        app.UseHttpMetrics(options => options.SetMetricFactory(Prometheus.Metrics.WithCustomRegistry(registry)));
        app.MapGet("/api/a", () => Results.Ok("a"));
        app.MapGet("/api/b", (bool? fail) => fail == true ? Results.StatusCode(500) : Results.Ok("b"));
        app.MapGet("/api/c", () => Results.NotFound());
        app.MapMetrics("/metrics", registry);
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new InstrumentedApp(app, registry, new Uri(bound.TrimEnd('/') + "/"));
    }

    /// <summary>Sends <paramref name="count"/> GETs to <paramref name="path"/>, checking each status.</summary>
    public async Task DriveAsync(string path, int expectedStatus, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(expectedStatus, (int)response.StatusCode);
        }
    }

    /// <summary>Sends the <see cref="KnownTraffic"/> (73 requests).</summary>
    public async Task DriveKnownTrafficAsync()
    {
        foreach (var (path, status, count) in KnownTraffic)
        {
            await DriveAsync(path, status, count);
        }
    }

    /// <summary>GETs /metrics with an Accept header and returns the Content-Type's media type.</summary>
    public async Task<string?> MetricsMediaTypeAsync(string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, MetricsAddress);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await _client.SendAsync(request);
        return response.Content.Headers.ContentType?.MediaType;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
