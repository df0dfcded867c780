using Canary.Analysis.Metrics.Datadog.Internal;
using Canary.Analysis.Metrics.Internal;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.Metrics.Datadog;

/// <summary>Validates <see cref="DatadogOptions"/> for the options pattern (<c>ValidateOnStart</c>), with the same rules as <see cref="DatadogOptions.Validate"/>; keys are never printed.</summary>
public sealed class DatadogOptionsValidator : IValidateOptions<DatadogOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DatadogOptions options) =>
        OptionsFailures.ToResult(options is null ? null : DatadogOptionsRules.Validate(options), nameof(DatadogOptions));
}
