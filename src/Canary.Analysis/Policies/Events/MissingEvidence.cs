using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Policies.Events;

/// <summary>What one inconclusive check still lacks: its endpoints without enough data and the time still needed.</summary>
public sealed class MissingEvidence
{
    /// <summary>Creates the description of an inconclusive check.</summary>
    /// <param name="check">The check's state.</param>
    /// <exception cref="ArgumentNullException"><paramref name="check"/> is null.</exception>
    public MissingEvidence(MetricRunStatus check)
    {
        ArgumentNullException.ThrowIfNull(check);
        Check = check;
    }

    /// <summary>Gets the check's state (name, phase, counters, measurements).</summary>
    public MetricRunStatus Check { get; }

    /// <summary>Gets the check's last full result, or null (an error, or a measurement read from a saved state).</summary>
    public CheckResult? Result => Check.Last?.Evidence;

    /// <summary>Gets the endpoints the check could not judge for too little data (<see cref="EndpointStatus.Insufficient"/>).</summary>
    public IReadOnlyList<EndpointResult> Endpoints =>
        [.. Result?.Endpoints.Where(e => e.Status == EndpointStatus.Insufficient) ?? []];

    /// <summary>Gets the time still needed at the current traffic, as the check estimates it (<see cref="CheckResult.TimeNeeded"/>), or null.</summary>
    public TimeSpan? TimeNeeded => Result?.TimeNeeded;
}
