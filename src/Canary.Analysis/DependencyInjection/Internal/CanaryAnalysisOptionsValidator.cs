using System.Diagnostics.CodeAnalysis;
using Canary.Analysis.Metrics.Datadog.Internal;
using Canary.Analysis.Metrics.Prometheus.Internal;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.DependencyInjection.Internal;

/// <summary>
/// Validates <see cref="CanaryAnalysisOptions"/> at startup and when a service is first built: the chosen backend's options
/// and convention, with the rules of <see cref="Metrics.Prometheus.PrometheusOptions.Validate"/>,
/// <see cref="Metrics.Datadog.DatadogOptions.Validate"/> and the conventions' <c>Validate</c>. Messages name each field by
/// its configuration path (<c>CanaryAnalysis:Prometheus:Address</c>, <c>CanaryAnalysis:eu:Prometheus:Address</c>) and its
/// value; secrets are never printed.
/// </summary>
internal sealed class CanaryAnalysisOptionsValidator : IValidateOptions<CanaryAnalysisOptions>
{
    /// <summary>The configuration path of a registration's options, ending with a colon.</summary>
    public static string Path(string? name) => string.IsNullOrEmpty(name) ? "CanaryAnalysis:" : "CanaryAnalysis:" + name + ":";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CanaryAnalysisOptions options)
    {
        var path = Path(name);
        if (options is null)
        {
            return ValidateOptionsResult.Fail($"{path[..^1]} must not be null.");
        }

        var failures = new List<string>();
        switch (options.Backend)
        {
            case MetricBackend.Prometheus:
                if (Required(options.Prometheus, failures, path, "Prometheus", MetricBackend.Prometheus))
                {
                    failures.AddRange(PrometheusOptionsRules.Validate(options.Prometheus, fallbackAddress: null, path + "Prometheus:"));
                }

                if (Required(options.Convention, failures, path, "Convention", MetricBackend.Prometheus) && options.Convention.FindProblem(path + "Convention:") is { } convention)
                {
                    failures.Add(convention.Message);
                }

                break;
            case MetricBackend.Datadog:
                if (Required(options.Datadog, failures, path, "Datadog", MetricBackend.Datadog))
                {
                    failures.AddRange(DatadogOptionsRules.Validate(options.Datadog, path + "Datadog:"));
                }

                if (Required(options.DatadogConvention, failures, path, "DatadogConvention", MetricBackend.Datadog) && options.DatadogConvention.FindProblem(path + "DatadogConvention:") is { } traces)
                {
                    failures.Add(traces.Message);
                }

                break;
            default:
                failures.Add($"{path}Backend must be Prometheus or Datadog; it was '{options.Backend}'.");
                break;
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool Required([NotNullWhen(true)] object? value, List<string> failures, string path, string field, MetricBackend backend)
    {
        if (value is not null)
        {
            return true;
        }

        failures.Add($"{path}{field} is required when {path}Backend is {backend}; it was null.");
        return false;
    }
}
