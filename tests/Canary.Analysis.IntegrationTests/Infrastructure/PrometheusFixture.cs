namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>Starts one Prometheus backfilled with <see cref="Data"/> for a test collection.</summary>
public abstract class PrometheusFixtureBase : IAsyncLifetime, IDisposable
{
    private PrometheusServer? _server;
    private RawPrometheusClient? _client;
    private Exception? _startFailure;
    private OpenMetricsFixture? _data;

    /// <summary>The generated fixture (exact counts for cross-checks).</summary>
    public OpenMetricsFixture Data => _data ??= CreateData();

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

    protected abstract OpenMetricsFixture CreateData();
}

/// <summary>
/// ONE Prometheus per test run with <see cref="StandardFixture"/>. Use <c>[Collection(PrometheusCollectionDefinition.Name)]</c>,
/// take <see cref="PrometheusFixture"/> in the constructor, and mark tests <c>[PrometheusFact]</c>.
/// </summary>
public sealed class PrometheusFixture : PrometheusFixtureBase
{
    protected override OpenMetricsFixture CreateData() => StandardFixture.Build();
}

/// <summary>
/// ONE Prometheus with <see cref="ManyEndpointsFixture"/> jobs "many-5" and "many-200" (started only when a test
/// of the collection <see cref="ManyEndpointsCollectionDefinition.Name"/> runs).
/// </summary>
public sealed class ManyEndpointsPrometheusFixture : PrometheusFixtureBase
{
    public const int Small = 5;
    public const int Large = 200;

    protected override OpenMetricsFixture CreateData() => ManyEndpointsFixture.Build(Small, Large);
}

[CollectionDefinition(Name)]
public sealed class PrometheusCollectionDefinition : ICollectionFixture<PrometheusFixture>
{
    public const string Name = "prometheus";
}

[CollectionDefinition(Name)]
public sealed class ManyEndpointsCollectionDefinition : ICollectionFixture<ManyEndpointsPrometheusFixture>
{
    public const string Name = "prometheus-many-endpoints";
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
