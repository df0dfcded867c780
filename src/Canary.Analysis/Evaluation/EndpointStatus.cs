namespace Canary.Analysis.Evaluation;

/// <summary>How one endpoint fared in a check.</summary>
public enum EndpointStatus
{
    /// <summary>Judged, with enough data, and within its own floor (if any).</summary>
    Judged,

    /// <summary>Judged, with enough data, and below its own floor.</summary>
    BelowFloor,

    /// <summary>Judged, but with too few requests or invalid counts to count.</summary>
    Insufficient,

    /// <summary>Not judged: its weight is 0.</summary>
    Excluded,
}
