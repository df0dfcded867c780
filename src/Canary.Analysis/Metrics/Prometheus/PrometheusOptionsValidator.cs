using Canary.Analysis.Metrics.Prometheus.Internal;
using Canary.Analysis.Metrics.Internal;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.Metrics.Prometheus;

/// <summary>Validates <see cref="PrometheusOptions"/> for the options pattern (<c>ValidateOnStart</c>), with the same rules as <see cref="PrometheusOptions.Validate"/>.</summary>
public sealed class PrometheusOptionsValidator : IValidateOptions<PrometheusOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PrometheusOptions options) =>
        OptionsFailures.ToResult(options is null ? null : PrometheusOptionsRules.Validate(options, fallbackAddress: null), nameof(PrometheusOptions));
}
