using Canary.Analysis.DependencyInjection;
using Canary.Analysis.Metrics.Datadog;

namespace Canary.Analysis.Tests.DependencyInjection;

/// <summary>Valid option sets shared by the dependency-injection tests.</summary>
internal static class TestOptions
{
    public const string ApiKey = "api-key-secret";

    public const string ApplicationKey = "app-key-secret";

    /// <summary>Datadog with both keys and the <c>web</c> service on the default site.</summary>
    public static void Datadog(DatadogBackendOptions options)
    {
        options.Datadog.ApiKey = ApiKey;
        options.Datadog.ApplicationKey = ApplicationKey;
        options.Convention = new DatadogTraceConvention { Service = "web" };
    }
}
