using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Analysis.Internal;

/// <summary>
/// What a traffic check reads: a source, the canary's selector, optionally the baseline's, and a positive window; reads
/// both versions over the same window at once.
/// </summary>
internal sealed class VersionReader
{
    /// <summary>Creates a reader.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="canary"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive (named <paramref name="windowName"/>).</exception>
    public VersionReader(ITrafficSource source, LabelSelector canary, LabelSelector? baseline, TimeSpan window, string windowName)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero, windowName);
        (Source, Canary, Baseline, Window) = (source, canary, baseline, window);
    }

    public ITrafficSource Source { get; }

    public LabelSelector Canary { get; }

    public LabelSelector? Baseline { get; }

    public TimeSpan Window { get; }

    /// <summary>How a check that judges <paramref name="judges"/> per endpoint with <paramref name="criteria"/> over this reader's window describes itself.</summary>
    public CheckDescription Describe(CheckSubject judges, ITrafficCriteria criteria) => new()
    {
        Judges = judges,
        Window = Window,
        Weights = criteria.Weights,
        MinimumRequestsPerEndpoint = criteria.MinimumRequestsPerEndpoint,
        ComparesWithBaseline = Baseline is not null,
    };

    /// <summary>
    /// What a sequential check judges: <paramref name="judges"/> per endpoint against the baseline, at the test's α, over every
    /// look (no window: the evidence accumulates, so a step judges all of its time).
    /// </summary>
    public static CheckDescription DescribeSequential(CheckSubject judges, SequentialErrorRateCriteria test) => new()
    {
        Judges = judges,
        Weights = test.Weights,
        MinimumRequestsPerEndpoint = test.MinimumRequestsPerEndpoint,
        ComparesWithBaseline = true,
        SequentialAlpha = test.Alpha,
    };

    /// <summary>Reads the canary and (when selected) the baseline over the window ending at <paramref name="end"/>, in parallel.</summary>
    public Task<(TrafficSnapshot Canary, TrafficSnapshot? Baseline)> ReadAsync(DateTimeOffset end, bool includeLatency, CancellationToken cancellationToken) =>
        ReadAsync(end, Window, includeLatency, cancellationToken);

    /// <summary>Reads the canary and (when selected) the baseline over <paramref name="window"/> ending at <paramref name="end"/>, in parallel.</summary>
    public Task<(TrafficSnapshot Canary, TrafficSnapshot? Baseline)> ReadAsync(DateTimeOffset end, TimeSpan window, bool includeLatency, CancellationToken cancellationToken) =>
        ReadAsync(end, window, includeLatency, TrafficCounting.Increase, cancellationToken);

    /// <summary>Reads both versions over <paramref name="window"/> ending at <paramref name="end"/>, counting as <paramref name="counting"/> says.</summary>
    public async Task<(TrafficSnapshot Canary, TrafficSnapshot? Baseline)> ReadAsync(DateTimeOffset end, TimeSpan window, bool includeLatency, TrafficCounting counting, CancellationToken cancellationToken)
    {
        var canaryTask = Source.ReadAsync(new TrafficQuery(Canary, end, window) { IncludeLatency = includeLatency, Counting = counting }, cancellationToken);
        if (Baseline is null)
        {
            return (await canaryTask.ConfigureAwait(false), null);
        }

        var baselineTask = Source.ReadAsync(new TrafficQuery(Baseline, end, window) { IncludeLatency = includeLatency, Counting = counting }, cancellationToken);
        await Task.WhenAll(canaryTask, baselineTask).ConfigureAwait(false);
        return (await canaryTask.ConfigureAwait(false), await baselineTask.ConfigureAwait(false));
    }
}
