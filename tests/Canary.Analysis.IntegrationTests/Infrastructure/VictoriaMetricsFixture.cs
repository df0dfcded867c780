namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// ONE single-node VictoriaMetrics per test run with the same <see cref="StandardFixture"/> samples as
/// <see cref="PrometheusFixture"/>. Use <c>[Collection(VictoriaMetricsCollectionDefinition.Name)]</c> and
/// <c>[OnEngine(PrometheusApiEngine.VictoriaMetrics)]</c> on a class that inherits an engine-independent test body.
/// </summary>
public sealed class VictoriaMetricsFixture : PrometheusApiFixtureBase
{
    public override PrometheusApiEngine Engine => PrometheusApiEngine.VictoriaMetrics;

    /// <summary>The running server; throws with the reason when VictoriaMetrics is missing or failed to start.</summary>
    public VictoriaMetricsServer Server => ServerAs<VictoriaMetricsServer>();

    protected override OpenMetricsFixture CreateData() => StandardFixture.Build();
}

[CollectionDefinition(Name)]
public sealed class VictoriaMetricsCollectionDefinition : ICollectionFixture<VictoriaMetricsFixture>
{
    public const string Name = "victoria-metrics";
}
