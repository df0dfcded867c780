using Canary.Analysis.DependencyInjection;
using Canary.Analysis.Metrics.Datadog;

namespace Canary.Analysis.Tests.DependencyInjection;

/// <summary>Valid option sets shared by the dependency-injection tests.</summary>
internal static class TestOptions
{
    public const string ApiKey = "api-key-secret";

    public const string ApplicationKey = "app-key-secret";

    /// <summary>Datadog with both keys and the <c>web</c> service on the default site.</summary>
    public static void Datadog(CanaryAnalysisOptions options)
    {
        options.Backend = MetricBackend.Datadog;
        options.Datadog.ApiKey = ApiKey;
        options.Datadog.ApplicationKey = ApplicationKey;
        options.DatadogConvention = new DatadogTraceConvention { Service = "web" };
    }
}
