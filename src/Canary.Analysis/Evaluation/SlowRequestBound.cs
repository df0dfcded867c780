namespace Canary.Analysis.Evaluation;

/// <summary>
/// The latency above which one endpoint's requests count as slow for a <see cref="SequentialLatencyEvaluator"/>: fixed once,
/// before the first window it judges, and saved with <see cref="SequentialLatencyState"/> so a resumed test keeps it.
/// </summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="UpperBound">The bucket's upper bound (<c>le</c>) in seconds: a request slower than it is slow.</param>
/// <param name="ChosenAt">The start of the first window judged with it: the bound depends on nothing after this time.</param>
public sealed record SlowRequestBound(string Endpoint, double UpperBound, DateTimeOffset ChosenAt)
{
    /// <summary>Gets the baseline requests of the history it was chosen from, or 0 for a fixed bound (<see cref="SequentialLatencyCriteria.LatencyBound"/>).</summary>
    public double BaselineRequests { get; init; }

    /// <summary>Gets the share of those baseline requests slower than the bound (0 for a fixed bound).</summary>
    public double BaselineSlowShare { get; init; }
}
