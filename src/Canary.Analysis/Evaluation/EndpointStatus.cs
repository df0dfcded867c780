namespace Canary.Analysis.Evaluation;

/// <summary>How one endpoint fared in a check.</summary>
public enum EndpointStatus
{
    /// <summary>Judged, with enough data, and within its own limit (if any).</summary>
    Judged,

    /// <summary>Judged, with enough data, and outside its own limit (below a success-rate floor, above a latency ceiling).</summary>
    LimitBreached,

    /// <summary>Judged, but with too few requests or invalid counts to count.</summary>
    Insufficient,

    /// <summary>Not judged: its weight is 0.</summary>
    Excluded,
}
