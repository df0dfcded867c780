namespace Canary.Analysis.Simulation;

/// <summary>
/// A change to the canary's behaviour from a time on: a new error rate and/or a latency factor, on one endpoint or on all.
/// The baseline is never affected. When several faults apply to an endpoint, the one listed last wins for each property it sets.
/// </summary>
public sealed class SimulatedFault
{
    /// <summary>Gets or sets the endpoint the fault affects, or null for every endpoint.</summary>
    /// <value>The default value is null.</value>
    public string? Endpoint { get; set; }

    /// <summary>Gets or sets how long after the simulation's start the fault begins.</summary>
    /// <value>The default value is zero: from the start.</value>
    public TimeSpan After { get; set; }

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

    /// <summary>Creates a latency fault.</summary>
    /// <param name="factor">The factor on the canary's median latency (2 = twice as slow).</param>
    /// <param name="endpoint">The endpoint, or null for all.</param>
    /// <param name="after">When the fault begins, after the start.</param>
    /// <returns>The fault.</returns>
    public static SimulatedFault Latency(double factor, string? endpoint = null, TimeSpan after = default) =>
        new() { LatencyFactor = factor, Endpoint = endpoint, After = after };

    /// <inheritdoc />
    public override string ToString() =>
        $"{Endpoint ?? "all endpoints"} after {After}: errors {(ErrorRate is { } e ? e.ToString("P2", System.Globalization.CultureInfo.InvariantCulture) : "unchanged")}, latency ×{LatencyFactor?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "1"}";
}
