namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// A class fixture that starts one Prometheus backfilled with the OpenMetrics text a subclass builds, for tests whose
/// data does not fit the standard fixture (edge cases, other stacks' metric shapes).
/// </summary>
public abstract class OpenMetricsPrometheusFixture : IAsyncLifetime, IDisposable
{
    private PrometheusServer? _server;
    private RawPrometheusClient? _client;

    /// <summary>
    /// The server's address. Without Prometheus it is an unused loopback address, so test classes can still build their
    /// providers: <c>[PrometheusFact]</c> skips them locally and fails them under <c>CI=true</c>.
    /// </summary>
    public Uri Address => _server?.Address ?? new Uri("http://127.0.0.1:1/");

    /// <summary>A plain /api/v1/query client on the server (the oracle).</summary>
    public RawPrometheusClient Client => _client ?? throw new InvalidOperationException(PrometheusAvailability.MissingMessage);

    /// <summary>A time at which <see cref="ReadinessQuery"/> must return data before tests run.</summary>
    protected abstract DateTimeOffset ReadinessTime { get; }

    /// <summary>A query that returns data once the backfilled blocks are loaded.</summary>
    protected abstract string ReadinessQuery { get; }

    public async Task InitializeAsync()
    {
        if (!PrometheusAvailability.IsAvailable)
        {
            return;
        }

        _server = await PrometheusServer.StartAsync(BuildOpenMetrics(), new PrometheusServerOptions { ReadinessTime = ReadinessTime, ReadinessQuery = ReadinessQuery });
        _client = new RawPrometheusClient(_server.Address);
    }

    public void Dispose()
    {
        _client?.Dispose();
        GC.SuppressFinalize(this);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Builds the OpenMetrics text (ending in <c># EOF</c>) to backfill.</summary>
    protected abstract string BuildOpenMetrics();
}
