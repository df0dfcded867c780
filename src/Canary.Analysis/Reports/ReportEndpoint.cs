using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Reports;

/// <summary>One endpoint's row in a reported check: the data of an <see cref="EndpointResult"/>.</summary>
public sealed class ReportEndpoint
{
    internal ReportEndpoint(EndpointResult row)
    {
        Endpoint = row.Endpoint;
        Status = row.Status;
        Requests = row.Requests;
        Successes = row.Successes;
        Value = row.Value;
        BaselineValue = row.BaselineValue;
        Weight = row.Weight;
        Contribution = row.Contribution;
        Limit = row.Limit ?? double.NaN;
        SuccessRateDropBound = row.SuccessRateDropBound;
        EvidenceKind = row.EvidenceKind;
        EvidenceValue = row.EvidenceValue;
        EvidenceBoundary = row.EvidenceBoundary;
    }

    /// <summary>Gets the endpoint name (a label value: escape it in every view).</summary>
    public string Endpoint { get; }

    /// <summary>Gets how the endpoint fared.</summary>
    public EndpointStatus Status { get; }

    /// <summary>Gets the canary's requests (NaN when the counts were invalid).</summary>
    public double Requests { get; }

    /// <summary>Gets the canary's successful requests.</summary>
    public double Successes { get; }

    /// <summary>Gets the canary's value (a success rate 0–1, a latency in seconds), NaN without usable data.</summary>
    public double Value { get; }

    /// <summary>Gets the baseline's value, NaN when the check did not compare with a baseline.</summary>
    public double BaselineValue { get; }

    /// <summary>Gets the normalised weight (0–1).</summary>
    public double Weight { get; }

    /// <summary>Gets the endpoint's part of the check's value, NaN when insufficient.</summary>
    public double Contribution { get; }

    /// <summary>Gets the endpoint's own limit, on the same scale as <see cref="Value"/>; NaN when it has none.</summary>
    public double Limit { get; }

    /// <summary>Gets the always-valid bound on how far the canary's success rate is below the baseline's, NaN when not computed.</summary>
    public double SuccessRateDropBound { get; }

    /// <summary>Gets what <see cref="EvidenceValue"/> is (<see cref="EndpointResult.EvidenceKind"/>).</summary>
    public EvidenceKind EvidenceKind { get; }

    /// <summary>Gets the endpoint's own evidence of a regression (for a sequential check its largest e-value), NaN without one.</summary>
    public double EvidenceValue { get; }

    /// <summary>Gets the boundary <see cref="EvidenceValue"/> is compared with, NaN without evidence.</summary>
    public double EvidenceBoundary { get; }
}
