using Microsoft.Extensions.Options;

namespace Canary.Analysis.DependencyInjection.Internal;

/// <summary>
/// Validates a backend registration's options (<see cref="PrometheusBackendOptions"/>, <see cref="DatadogBackendOptions"/>)
/// with the backend's own rules, naming each field by its configuration path (<c>CanaryAnalysis:Prometheus:Address</c>,
/// <c>CanaryAnalysis:eu:Convention:StatusLabel</c>); secrets are never printed.
/// </summary>
/// <typeparam name="TOptions">The backend's options.</typeparam>
/// <param name="rules">The failures of the options, given the registration's path (ending with a colon).</param>
internal sealed class BackendOptionsValidator<TOptions>(Func<TOptions, string, IEnumerable<string>> rules) : IValidateOptions<TOptions>
    where TOptions : class
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var path = BackendRegistration.Path(name);
        if (options is null)
        {
            return ValidateOptionsResult.Fail($"{path[..^1]} must not be null.");
        }

        var failures = rules(options, path).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The failures of one section of the options: "required" when it is null, else its own rules under its path.</summary>
    /// <param name="value">The section (for example <see cref="PrometheusBackendOptions.Prometheus"/>).</param>
    /// <param name="path">The registration's path, ending with a colon.</param>
    /// <param name="field">The section's name.</param>
    /// <param name="sectionRules">The section's rules, given the section's path (ending with a colon).</param>
    public static IEnumerable<string> Section<T>(T? value, string path, string field, Func<T, string, IEnumerable<string>> sectionRules)
        where T : class =>
        value is null ? [$"{path}{field} is required; it was null."] : sectionRules(value, $"{path}{field}:");
}
