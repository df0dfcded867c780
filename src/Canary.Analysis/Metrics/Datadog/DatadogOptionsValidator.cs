using Canary.Analysis.Metrics.Datadog.Internal;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.Metrics.Datadog;

/// <summary>Validates <see cref="DatadogOptions"/> for the options pattern (<c>ValidateOnStart</c>), with the same rules as <see cref="DatadogOptions.Validate"/>; keys are never printed.</summary>
public sealed class DatadogOptionsValidator : IValidateOptions<DatadogOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DatadogOptions options)
    {
        if (options is null)
        {
            return ValidateOptionsResult.Fail("DatadogOptions must not be null.");
        }

        var failures = DatadogOptionsRules.Validate(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
