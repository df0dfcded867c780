using Microsoft.Extensions.Options;

namespace Canary.Analysis.DependencyInjection.Internal;

/// <summary>
/// Validates a backend registration's options (<see cref="PrometheusBackendOptions"/>, <see cref="DatadogBackendOptions"/>)
/// with the backend's own rules, naming each field by its configuration path (<c>CanaryAnalysis:Prometheus:Address</c>,
/// <c>CanaryAnalysis:eu:Convention:StatusLabel</c>); secrets are never printed.
/// </summary>
/// <typeparam name="TOptions">The backend's options.</typeparam>
internal sealed class BackendOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class, IBackendOptions
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var path = BackendRegistration.Path(name);
        if (options is null)
        {
            return ValidateOptionsResult.Fail($"{path[..^1]} must not be null.");
        }

        var failures = options.Problems(path).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
