namespace Canary.Analysis.Traffic;

/// <summary>
/// A known hole in a snapshot's data. A snapshot with gaps is never evidence of health: checks judging it say
/// Inconclusive with the gap's description (partial responses only when the check opts in to them).
/// </summary>
/// <param name="Kind">Why the data is incomplete.</param>
/// <param name="Description">A one-line, secret-free description naming what is missing (a target, a store, a query).</param>
public sealed record DataGap(DataGapKind Kind, string Description)
{
    /// <inheritdoc />
    public override string ToString() => Description;
}
