namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// Starts ONE Prometheus per test run, backfilled with <see cref="StandardFixture"/>. Use with
/// <c>[Collection(PrometheusCollectionDefinition.Name)]</c> and <c>[PrometheusFact]</c>.
/// </summary>
public sealed class PrometheusFixture : IAsyncLifetime, IDisposable
{
    private PrometheusServer? _server;
    private RawPrometheusClient? _client;
    private Exception? _startFailure;

    /// <summary>The generated standard fixture (exact counts for cross-checks).</summary>
    public OpenMetricsFixture Data { get; } = StandardFixture.Build();

    /// <summary>The running server; throws with the reason when Prometheus is missing or failed to start.</summary>
    public PrometheusServer Server => _server ?? throw new InvalidOperationException(
        _startFailure is null ? PrometheusAvailability.MissingMessage : "Prometheus failed to start: " + _startFailure.Message, _startFailure);

    public Uri Address => Server.Address;

    /// <summary>A plain /api/v1/query client on the server (shared; its QueryCount is cumulative).</summary>
    public RawPrometheusClient Client => _client ?? throw new InvalidOperationException(Server.Address + " has no client.");

    public async Task InitializeAsync()
    {
        if (!PrometheusAvailability.IsAvailable)
        {
            // Tests are skipped locally by [PrometheusFact]; under CI=true they run and fail through Server.
            return;
        }

        try
        {
            _server = await PrometheusServer.StartAsync(Data);
            _client = new RawPrometheusClient(_server.Address);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
        {
            _startFailure = e;
        }
    }

    public void Dispose() => _client?.Dispose();

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PrometheusCollectionDefinition : ICollectionFixture<PrometheusFixture>
{
    public const string Name = "prometheus";
}

/// <summary>
/// A fact that needs Prometheus: skipped (with the install hint) when the binaries are missing, except under
/// CI=true, where it runs and fails with <see cref="PrometheusAvailability.MissingMessage"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (!PrometheusAvailability.IsAvailable && !PrometheusAvailability.IsCi)
        {
            Skip = PrometheusAvailability.MissingMessage;
        }
    }
}

/// <summary>The theory counterpart of <see cref="PrometheusFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PrometheusTheoryAttribute : TheoryAttribute
{
    public PrometheusTheoryAttribute()
    {
        if (!PrometheusAvailability.IsAvailable && !PrometheusAvailability.IsCi)
        {
            Skip = PrometheusAvailability.MissingMessage;
        }
    }
}
