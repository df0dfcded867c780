using Canary.Analysis.Metrics.Prometheus.Internal;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.Metrics.Prometheus;

/// <summary>Validates <see cref="PrometheusOptions"/> for the options pattern (<c>ValidateOnStart</c>), with the same rules as <see cref="PrometheusOptions.Validate"/>.</summary>
public sealed class PrometheusOptionsValidator : IValidateOptions<PrometheusOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PrometheusOptions options)
    {
        if (options is null)
        {
            return ValidateOptionsResult.Fail("PrometheusOptions must not be null.");
        }

        var failures = PrometheusOptionsRules.Validate(options, fallbackAddress: null);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
