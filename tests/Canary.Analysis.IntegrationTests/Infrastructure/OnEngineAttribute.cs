namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// Names the engine a test class's <c>[PrometheusFact]</c>/<c>[PrometheusTheory]</c> tests need (without it: Prometheus),
/// for the classes that run one abstract test body against another engine.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OnEngineAttribute(PrometheusApiEngine engine) : Attribute
{
    public PrometheusApiEngine Engine { get; } = engine;
}
