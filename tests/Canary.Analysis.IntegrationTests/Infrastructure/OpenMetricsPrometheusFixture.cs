namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// A class fixture that starts one Prometheus (or the <see cref="Engine"/> a subclass names) holding the OpenMetrics text a
/// subclass builds, for tests whose data does not fit the standard fixture (edge cases, other stacks' metric shapes).
/// </summary>
public abstract class OpenMetricsPrometheusFixture : IAsyncLifetime, IDisposable
{
    private IAsyncDisposable? _server;
    private Uri? _address;
    private RawPrometheusClient? _client;

    /// <summary>
    /// The server's address. Without Prometheus it is an unused loopback address, so test classes can still build their
    /// providers: <c>[PrometheusFact]</c> skips them locally and fails them under <c>CI=true</c>.
    /// </summary>
    public Uri Address => _address ?? new Uri("http://127.0.0.1:1/");

    /// <summary>A plain /api/v1/query client on the server (the oracle).</summary>
    public RawPrometheusClient Client => _client ?? throw new InvalidOperationException(PrometheusApiEngines.MissingMessage(Engine));

    /// <summary>The engine that serves the data (Prometheus unless a subclass says otherwise).</summary>
    public virtual PrometheusApiEngine Engine => PrometheusApiEngine.Prometheus;

    /// <summary>A time at which <see cref="ReadinessQuery"/> must return data before tests run.</summary>
    protected abstract DateTimeOffset ReadinessTime { get; }

    /// <summary>A query that returns data once the backfilled blocks are loaded.</summary>
    protected abstract string ReadinessQuery { get; }

    public async Task InitializeAsync()
    {
        if (!PrometheusApiEngines.IsAvailable(Engine))
        {
            return;
        }

        var text = BuildOpenMetrics();
        (_server, _address) = await PrometheusApiEngines.StartAsync(Engine, writer => writer.Write(text), ReadinessTime, ReadinessQuery);
        _client = new RawPrometheusClient(_address);
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
