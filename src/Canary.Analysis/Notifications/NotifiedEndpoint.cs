using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Notifications;

/// <summary>
/// The endpoint that decided a check, as a message names it: its row of the check's breakdown (<see cref="EndpointResult"/>),
/// copied as numbers.
/// </summary>
public sealed record NotifiedEndpoint
{
    /// <summary>Gets the endpoint's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets how the endpoint fared.</summary>
    public EndpointStatus Status { get; init; }

    /// <summary>Gets the endpoint's own value (a success rate 0–1, a latency in seconds), NaN without usable data.</summary>
    public double Value { get; init; } = double.NaN;

    /// <summary>
    /// Gets the endpoint's own limit on the same scale as <see cref="Value"/> (a success-rate floor, a latency ceiling), or null
    /// (a sequential check compares the endpoint with its baseline: see <see cref="BaselineValue"/> and the evidence).
    /// </summary>
    public double? Limit { get; init; }

    /// <summary>Gets the baseline's value on the same endpoint, NaN when the check did not compare with a baseline.</summary>
    public double BaselineValue { get; init; } = double.NaN;

    /// <summary>Gets the canary's requests the value stands on (n).</summary>
    public double Requests { get; init; } = double.NaN;

    /// <summary>Gets the endpoint's normalised weight (0–1).</summary>
    public double Weight { get; init; } = double.NaN;

    /// <summary>
    /// Gets the endpoint's part of the check's combined value; for a sequential check its evidence as a fraction of the
    /// boundary (it alone crosses at 1). NaN when insufficient.
    /// </summary>
    public double Contribution { get; init; } = double.NaN;

    /// <summary>Gets the always-valid upper bound on the endpoint's success-rate drop against the baseline, NaN when not computed.</summary>
    public double SuccessRateDropBound { get; init; } = double.NaN;

    /// <summary>Gets what <see cref="EvidenceValue"/> is (<see cref="EndpointResult.EvidenceKind"/>).</summary>
    public EvidenceKind EvidenceKind { get; init; }

    /// <summary>Gets the endpoint's own evidence of a regression (for a sequential check its largest e-value), NaN without one.</summary>
    public double EvidenceValue { get; init; } = double.NaN;

    /// <summary>Gets the boundary <see cref="EvidenceValue"/> is compared with, NaN without evidence.</summary>
    public double EvidenceBoundary { get; init; } = double.NaN;
}
