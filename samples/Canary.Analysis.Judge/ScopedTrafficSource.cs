using Canary.Analysis.Traffic;

namespace Canary.Analysis.Judge;

/// <summary>
/// The source a policy's checks read through when judging scopes: a read of the policy's canary selector reads the
/// experiment, of its baseline selector the control; with a window, every read covers exactly that window (a check judged
/// once over [start, end]).
/// </summary>
internal sealed class ScopedTrafficSource(ITrafficSource inner, ScopeSelectors policy, LabelSelector experiment, LabelSelector control, (DateTimeOffset Start, DateTimeOffset End)? window) : ITrafficSource
{
    public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var selector = query.Selector.Equals(policy.Canary) ? experiment
            : query.Selector.Equals(policy.Baseline) ? control
            : throw new InvalidOperationException($"The policy read {{{query.Selector}}}, neither its canary {{{policy.Canary}}} nor its baseline {{{policy.Baseline}}}.");
        var (end, length) = window is { } w ? (w.End, w.End - w.Start) : (query.End, query.Window);
        return inner.ReadAsync(new TrafficQuery(selector, end, length) { IncludeLatency = query.IncludeLatency, Counting = query.Counting }, cancellationToken);
    }
}
