namespace Canary.Analysis.Simulation;

/// <summary>
/// A change to the canary's behaviour from a time on (for a <see cref="Duration"/>, or to the end): a new error rate and/or a
/// latency factor, on one endpoint or on all. The baseline is affected only by a <see cref="Shared"/> fault (an outage of a
/// dependency both versions call: <see cref="SharedOutage"/>). When several faults apply to an endpoint, the one listed last
/// wins for each property it sets.
/// </summary>
public sealed class SimulatedFault
{
    /// <summary>Gets or sets the endpoint the fault affects, or null for every endpoint.</summary>
    /// <value>The default value is null.</value>
    public string? Endpoint { get; set; }

    /// <summary>Gets or sets how long after the simulation's start the fault begins.</summary>
    /// <value>The default value is zero: from the start.</value>
    public TimeSpan After { get; set; }

    /// <summary>Gets or sets how long the fault lasts, or null for the rest of the simulation.</summary>
    /// <value>The default value is null: from <see cref="After"/> on, for ever.</value>
    public TimeSpan? Duration { get; set; }

    /// <summary>Gets or sets whether the fault hits the baseline too (both versions fail together), not only the canary.</summary>
    /// <value>The default value is false: the canary alone.</value>
    public bool Shared { get; set; }

    /// <summary>Gets or sets the canary's error rate (0–1) while the fault is active, or null to keep it.</summary>
    public double? ErrorRate { get; set; }

    /// <summary>Gets or sets a factor applied to the canary's median latency while the fault is active, or null to keep it.</summary>
    public double? LatencyFactor { get; set; }

    /// <summary>Creates an error-rate fault.</summary>
    /// <param name="errorRate">The canary's error rate (0–1).</param>
    /// <param name="endpoint">The endpoint, or null for all.</param>
    /// <param name="after">When the fault begins, after the start.</param>
    /// <returns>The fault.</returns>
    public static SimulatedFault Errors(double errorRate, string? endpoint = null, TimeSpan after = default) =>
        new() { ErrorRate = errorRate, Endpoint = endpoint, After = after };

    /// <summary>
    /// Creates a shared outage: from <paramref name="after"/> for <paramref name="duration"/>, both the canary and the baseline
    /// fail at <paramref name="errorRate"/> (a dependency both versions call is down), then both return to their own rates.
    /// </summary>
    /// <param name="errorRate">Both versions' error rate during the outage (0–1).</param>
    /// <param name="after">When the outage begins, after the start.</param>
    /// <param name="duration">How long it lasts; positive.</param>
    /// <param name="endpoint">The endpoint, or null for all.</param>
    /// <returns>The fault.</returns>
    public static SimulatedFault SharedOutage(double errorRate, TimeSpan after, TimeSpan duration, string? endpoint = null) =>
        new() { ErrorRate = errorRate, Endpoint = endpoint, After = after, Duration = duration, Shared = true };

    /// <summary>Whether the fault is active in the bucket starting <paramref name="ticks"/> after the start.</summary>
    internal bool IsActiveAt(long ticks) => ticks >= After.Ticks && (Duration is not { } duration || ticks < After.Ticks + duration.Ticks);

    /// <summary>Creates a latency fault.</summary>
    /// <param name="factor">The factor on the canary's median latency (2 = twice as slow).</param>
    /// <param name="endpoint">The endpoint, or null for all.</param>
    /// <param name="after">When the fault begins, after the start.</param>
    /// <returns>The fault.</returns>
    public static SimulatedFault Latency(double factor, string? endpoint = null, TimeSpan after = default) =>
        new() { LatencyFactor = factor, Endpoint = endpoint, After = after };

    /// <inheritdoc />
    public override string ToString() =>
        $"{(Shared ? "both versions, " : string.Empty)}{Endpoint ?? "all endpoints"} after {After}{(Duration is { } d ? $" for {d}" : string.Empty)}: errors {(ErrorRate is { } e ? e.ToString("P2", System.Globalization.CultureInfo.InvariantCulture) : "unchanged")}, latency ×{LatencyFactor?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "1"}";
}
