using Xunit.Sdk;

namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// Starts one Prometheus-API engine (<see cref="Engine"/>) holding <see cref="Data"/> for a test collection. Test logic that
/// must hold on every engine takes this type, so one test class body runs against Prometheus and VictoriaMetrics alike.
/// </summary>
public abstract class PrometheusApiFixtureBase : IAsyncLifetime, IDisposable
{
    private IAsyncDisposable? _server;
    private Uri? _address;
    private RawPrometheusClient? _client;
    private Exception? _startFailure;
    private OpenMetricsFixture? _data;

    /// <summary>The engine this fixture starts.</summary>
    public abstract PrometheusApiEngine Engine { get; }

    /// <summary>The generated fixture (exact counts for cross-checks).</summary>
    public OpenMetricsFixture Data => _data ??= CreateData();

    /// <summary>The server's address; throws with the reason when the engine is missing or failed to start.</summary>
    public Uri Address => _address ?? throw Unavailable();

    /// <summary>A plain /api/v1/query client on the server (shared; its QueryCount is cumulative).</summary>
    public RawPrometheusClient Client => _client ?? throw Unavailable();

    public async Task InitializeAsync()
    {
        if (!PrometheusApiEngines.IsAvailable(Engine))
        {
            // Tests are skipped locally by [PrometheusFact]; under CI=true they run and fail through Address.
            return;
        }

        try
        {
            (_server, _address) = await PrometheusApiEngines.StartAsync(Engine, Data.WriteTo, Data.End);
            _client = new RawPrometheusClient(_address);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
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

    /// <summary>The running server as its own type (<see cref="PrometheusServer"/>, <see cref="VictoriaMetricsServer"/>).</summary>
    protected T ServerAs<T>()
        where T : class, IAsyncDisposable => _server as T ?? throw Unavailable();

    protected abstract OpenMetricsFixture CreateData();

    private InvalidOperationException Unavailable() => new(
        _startFailure is null ? PrometheusApiEngines.MissingMessage(Engine) : $"{Engine} failed to start: {_startFailure.Message}", _startFailure);
}

/// <summary>Starts one Prometheus backfilled with <see cref="PrometheusApiFixtureBase.Data"/> for a test collection.</summary>
public abstract class PrometheusFixtureBase : PrometheusApiFixtureBase
{
    public override PrometheusApiEngine Engine => PrometheusApiEngine.Prometheus;

    /// <summary>The running server; throws with the reason when Prometheus is missing or failed to start.</summary>
    public PrometheusServer Server => ServerAs<PrometheusServer>();
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
/// A fact that needs a Prometheus-API engine: Prometheus, or the one its class names with <see cref="OnEngineAttribute"/>.
/// Skipped (with the install hint) when that engine is missing, except under CI=true, where it runs and fails with the
/// missing-engine message (<see cref="PrometheusApiEngines.MissingMessage"/>). The class decides, not the method, so a test
/// written once in an abstract class is skipped only for the engine that is missing (see <see cref="EngineFactDiscoverer"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Canary.Analysis.IntegrationTests.Infrastructure.EngineFactDiscoverer", "Canary.Analysis.IntegrationTests")]
public sealed class PrometheusFactAttribute : FactAttribute
{
}

/// <summary>The theory counterpart of <see cref="PrometheusFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Canary.Analysis.IntegrationTests.Infrastructure.EngineTheoryDiscoverer", "Canary.Analysis.IntegrationTests")]
public sealed class PrometheusTheoryAttribute : TheoryAttribute
{
}
