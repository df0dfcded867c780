using System.Globalization;

namespace Canary.Analysis.Host;

/// <summary>
/// The host's command line: <c>--policies DIR --state DIR [--rollout ID=POLICY]… [--instance ID] [--lease SECONDS]
/// [--simulate START_UNIX_SECONDS] [--canary-error-rate RATE]</c>. With <c>--simulate</c>, rollouts read a seeded simulated service that started at the given
/// time (the same traffic whenever the host restarts), instead of the Prometheus server their policy names.
/// </summary>
internal sealed record HostArguments(string Policies, string State, IReadOnlyList<(string Rollout, string Policy)> Rollouts, string? Instance, TimeSpan? Lease, DateTimeOffset? SimulationStart, double CanaryErrorRate)
{
    public const string Usage = "usage: Canary.Analysis.Host --policies DIR --state DIR [--rollout ID=POLICY]... [--instance ID] [--lease SECONDS] [--simulate START_UNIX_SECONDS] [--canary-error-rate RATE]";

    /// <summary>Reads the arguments; null (with the reason written) when they are wrong.</summary>
    public static HostArguments? Parse(IReadOnlyList<string> args, TextWriter errors)
    {
        string? policies = null, state = null, instance = null;
        DateTimeOffset? start = null;
        TimeSpan? lease = null;
        var errorRate = 0.0;
        var rollouts = new List<(string, string)>();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--policies" when value is not null:
                    policies = value;
                    break;
                case "--state" when value is not null:
                    state = value;
                    break;
                case "--instance" when value is not null:
                    instance = value;
                    break;
                case "--rollout" when value?.Split('=') is [{ Length: > 0 } id, { Length: > 0 } policy]:
                    rollouts.Add((id, policy));
                    break;
                case "--lease" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var leaseSeconds) && leaseSeconds > 0:
                    lease = TimeSpan.FromSeconds(leaseSeconds);
                    break;
                case "--simulate" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds):
                    start = DateTimeOffset.FromUnixTimeSeconds(seconds);
                    break;
                case "--canary-error-rate" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and <= 1:
                    errorRate = rate;
                    break;
                default:
                    errors.WriteLine($"unexpected or incomplete argument '{args[i]}'{(value is null ? string.Empty : $" '{value}'")}");
                    errors.WriteLine(Usage);
                    return null;
            }

            i++;
        }

        if (policies is null || state is null)
        {
            errors.WriteLine("--policies DIR and --state DIR are required");
            errors.WriteLine(Usage);
            return null;
        }

        return new HostArguments(policies, state, rollouts, instance, lease, start, errorRate);
    }
}
