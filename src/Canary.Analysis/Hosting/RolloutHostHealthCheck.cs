using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Canary.Analysis.Hosting;

/// <summary>
/// The health of a <see cref="RolloutHost"/>: unhealthy when its loop is not running (died, or not started) or a rollout's saved
/// state is refused; degraded when rollouts are in backoff after provider errors or failed ticks, or the store fails; healthy
/// otherwise. The data has one entry per rollout that is not healthy (its id: health and reason).
/// </summary>
/// <remarks>Register it with the host's health checks: <c>services.AddHealthChecks().AddCheck&lt;RolloutHostHealthCheck&gt;("rollouts")</c>.</remarks>
public sealed class RolloutHostHealthCheck : IHealthCheck
{
    private readonly RolloutHost _host;

    /// <summary>Creates the check.</summary>
    /// <param name="host">The host.</param>
    /// <exception cref="ArgumentNullException"><paramref name="host"/> is null.</exception>
    public RolloutHostHealthCheck(RolloutHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_host.Failure is { } failure)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The rollout host's loop died: {failure.GetType().Name}: {failure.Message}", failure));
        }

        if (!_host.IsRunning)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The rollout host is not running."));
        }

        var rollouts = _host.Rollouts;
        var troubled = rollouts.Where(r => r.Health is HostedRolloutHealth.Refused or HostedRolloutHealth.Backoff).ToList();
        var data = troubled.ToDictionary(r => r.Rollout, r => (object)$"{r.Health}: {r.Reason}", StringComparer.Ordinal);
        var refused = troubled.Count(r => r.Health == HostedRolloutHealth.Refused);
        var summary = $"{rollouts.Count} rollout(s): " + string.Join(", ", rollouts.GroupBy(r => r.Health).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        if (refused > 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"{summary}; {refused} saved state(s) refused, not obeyed.", data: data));
        }

        if (troubled.Count > 0 || _host.StoreFailing)
        {
            return Task.FromResult(HealthCheckResult.Degraded(_host.StoreFailing ? $"{summary}; the state store fails." : $"{summary}; {troubled.Count} in backoff after failures.", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy(summary, data));
    }
}
