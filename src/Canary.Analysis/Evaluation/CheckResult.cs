namespace Canary.Analysis.Evaluation;

/// <summary>The verdict of one check with its numbers: value, threshold, a row per endpoint and a one-line reason.</summary>
public sealed class CheckResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="name">The check's name, e.g. <c>success-rate</c>.</param>
    /// <param name="verdict">The verdict.</param>
    /// <param name="value">The combined value (NaN when there was not enough data to compute it).</param>
    /// <param name="threshold">The threshold the value was compared with.</param>
    /// <param name="reason">A one-line human reason.</param>
    /// <param name="endpoints">The per-endpoint breakdown.</param>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    public CheckResult(string name, Verdict verdict, double value, double threshold, string reason, IReadOnlyList<EndpointResult> endpoints)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(endpoints);
        Name = name;
        Verdict = verdict;
        Value = value;
        Threshold = threshold;
        Reason = reason;
        Endpoints = endpoints;
    }

    /// <summary>Gets the check's name.</summary>
    public string Name { get; }

    /// <summary>Gets the verdict.</summary>
    public Verdict Verdict { get; }

    /// <summary>Gets the combined value (for a success rate: the weighted rate, 0–1); NaN when it could not be computed.</summary>
    public double Value { get; }

    /// <summary>Gets the threshold the value was compared with.</summary>
    public double Threshold { get; }

    /// <summary>Gets a one-line human reason, e.g. <c>/api/pay: 91.2 % &lt; 95 % (n=412)</c>.</summary>
    public string Reason { get; }

    /// <summary>Gets the per-endpoint breakdown, judged endpoints first (by weight, descending), then excluded ones.</summary>
    public IReadOnlyList<EndpointResult> Endpoints { get; }

    /// <summary>
    /// Gets, for a check that proves non-inferiority (<see cref="SequentialErrorRateEvaluator"/>), the always-valid upper bound on
    /// how far the canary's weighted success rate is below the baseline's (0.01 = 1 point); a Pass proves it at most the check's
    /// margin. NaN when not computed.
    /// </summary>
    /// <value>The default value is NaN.</value>
    public double SuccessRateDropBound { get; init; } = double.NaN;

    /// <summary>Gets what <see cref="EvidenceValue"/> is: an e-value, a p-value, or none for a check without statistical evidence.</summary>
    /// <value>The default value is <see cref="EvidenceKind.None"/>.</value>
    public EvidenceKind EvidenceKind { get; init; }

    /// <summary>
    /// Gets the check's statistical evidence of a regression (the deciding e-value or p-value, see <see cref="EvidenceKind"/>),
    /// to read against <see cref="EvidenceBoundary"/>; NaN when the check states none or could not compute it.
    /// </summary>
    /// <value>The default value is NaN.</value>
    public double EvidenceValue { get; init; } = double.NaN;

    /// <summary>Gets the boundary the evidence is compared with (1/α for an e-value, α for a p-value); NaN without evidence.</summary>
    /// <value>The default value is NaN.</value>
    public double EvidenceBoundary { get; init; } = double.NaN;

    /// <summary>
    /// Gets, for an inconclusive check that can estimate it, the time still needed at the current traffic for its evidence
    /// to decide (the same estimate its <see cref="Reason"/> states); null when not estimated.
    /// </summary>
    /// <value>The default value is null.</value>
    public TimeSpan? TimeNeeded { get; init; }

    /// <summary>A copy of this result with its statistical evidence and the time still needed.</summary>
    internal CheckResult WithEvidence(EvidenceKind kind, double value, double boundary, TimeSpan? timeNeeded) =>
        new(Name, Verdict, Value, Threshold, Reason, Endpoints)
        {
            SuccessRateDropBound = SuccessRateDropBound,
            EvidenceKind = kind,
            EvidenceValue = value,
            EvidenceBoundary = boundary,
            TimeNeeded = timeNeeded,
        };

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Verdict} — {Reason}";
}
