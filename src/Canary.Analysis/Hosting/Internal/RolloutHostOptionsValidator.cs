using Microsoft.Extensions.Options;

namespace Canary.Analysis.Hosting.Internal;

/// <summary>Checks a <see cref="RolloutHostOptions"/>, naming every invalid setting and its value.</summary>
internal sealed class RolloutHostOptionsValidator : IValidateOptions<RolloutHostOptions>
{
    /// <summary>The longest wait a setting may ask for (a timer's range is about 49 days; no rollout needs more than a day).</summary>
    private static readonly TimeSpan MaximumWait = TimeSpan.FromDays(1);

    public static RolloutHostOptionsValidator Instance { get; } = new();

    public ValidateOptionsResult Validate(string? name, RolloutHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.InstanceId))
        {
            errors.Add("InstanceId must not be empty.");
        }

        Positive(nameof(options.PollInterval), options.PollInterval);
        Positive(nameof(options.LeaseDuration), options.LeaseDuration);
        Positive(nameof(options.RetryInitialDelay), options.RetryInitialDelay);
        Positive(nameof(options.RetryMaximumDelay), options.RetryMaximumDelay);
        if (options.RetryMaximumDelay < options.RetryInitialDelay)
        {
            errors.Add($"RetryMaximumDelay ({options.RetryMaximumDelay}) must not be shorter than RetryInitialDelay ({options.RetryInitialDelay}).");
        }

        if (options.MaxAdvancesPerTick < 1)
        {
            errors.Add($"MaxAdvancesPerTick must be at least 1, not {options.MaxAdvancesPerTick}.");
        }

        if (options.MaxConcurrentTicks < 1)
        {
            errors.Add($"MaxConcurrentTicks must be at least 1, not {options.MaxConcurrentTicks}.");
        }

        if (string.IsNullOrWhiteSpace(options.Namespace))
        {
            errors.Add("Namespace must not be empty.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

        void Positive(string setting, TimeSpan value)
        {
            if (value <= TimeSpan.Zero || value > MaximumWait)
            {
                errors.Add($"{setting} must be positive and at most a day, not {value}.");
            }
        }
    }
}
