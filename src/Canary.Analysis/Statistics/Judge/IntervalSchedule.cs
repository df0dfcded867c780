using System.Globalization;

namespace Canary.Analysis.Statistics.Judge;

/// <summary>
/// The judgement windows of a multi-interval canary analysis, as Kayenta's <c>SetupAndExecuteCanariesStage</c> computes them
/// from <c>lifetimeDurationMins</c> (or a scope end), <c>analysisIntervalMins</c>, <c>beginAfterMins</c>,
/// <c>lookbackMins</c> and <c>controlOffsetInMinutes</c>.
/// </summary>
/// <remarks>
/// The number of judgements is ⌊lifetime in whole minutes / interval in whole minutes⌋. Windows grow from the start
/// (judgement i covers [start, start + i·interval]) unless a lookback is set, when they slide ([end − lookback, end]). The
/// warm-up delays the start, except when the scope has an explicit end (<see cref="End"/>): then the lifetime is End − Start
/// and the warm-up is ignored, as in Kayenta. The baseline windows are the canary windows moved back by the control offset.
/// </remarks>
public sealed class IntervalSchedule
{
    /// <summary>Gets the start of the analysis (Kayenta's scope start time).</summary>
    public DateTimeOffset Start { get; init; }

    /// <summary>Gets the explicit end of the analysis (Kayenta's scope end time); when set, <see cref="Lifetime"/> and <see cref="BeginAfter"/> are ignored.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public DateTimeOffset? End { get; init; }

    /// <summary>Gets the lifetime of the analysis (Kayenta's <c>lifetimeDurationMins</c>); required unless <see cref="End"/> is set.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public TimeSpan? Lifetime { get; init; }

    /// <summary>Gets the interval between judgements (Kayenta's <c>analysisIntervalMins</c>); capped at the lifetime.</summary>
    /// <value>The default value is <see langword="null"/>: one judgement over the whole lifetime.</value>
    public TimeSpan? AnalysisInterval { get; init; }

    /// <summary>Gets the warm-up before the first window starts (Kayenta's <c>beginAfterMins</c>).</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan BeginAfter { get; init; }

    /// <summary>Gets the length of sliding windows (Kayenta's <c>lookbackMins</c>); zero for growing windows.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan Lookback { get; init; }

    /// <summary>Gets how far the baseline windows are moved back (Kayenta's <c>controlOffsetInMinutes</c>).</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan ControlOffset { get; init; }

    /// <summary>Computes the judgement windows.</summary>
    /// <returns>One window per judgement, in order.</returns>
    /// <exception cref="ArgumentException">
    /// Neither <see cref="Lifetime"/> nor <see cref="End"/> is set, or a duration is negative, or the lifetime or interval is
    /// shorter than a minute; the message names the field and its value.
    /// </exception>
    public IReadOnlyList<AnalysisWindow> GetWindows()
    {
        DateTimeOffset start = Start;
        TimeSpan lifetime;
        if (End is DateTimeOffset end)
        {
            lifetime = end - Start;
        }
        else if (Lifetime is TimeSpan configured)
        {
            lifetime = configured;
            Require(BeginAfter >= TimeSpan.Zero, nameof(BeginAfter), BeginAfter, "≥ 0");
            start += BeginAfter;
        }
        else
        {
            throw new ArgumentException("IntervalSchedule: set Lifetime or End.", nameof(Lifetime));
        }

        Require(lifetime.TotalMinutes >= 1, End is null ? nameof(Lifetime) : nameof(End), lifetime, "at least one minute (End − Start when End is set)");
        TimeSpan interval = AnalysisInterval ?? lifetime;
        Require(interval.TotalMinutes >= 1, nameof(AnalysisInterval), interval, "at least one minute");
        Require(Lookback >= TimeSpan.Zero, nameof(Lookback), Lookback, "≥ 0");
        Require(ControlOffset >= TimeSpan.Zero, nameof(ControlOffset), ControlOffset, "≥ 0");
        if (interval > lifetime)
        {
            interval = lifetime;
        }

        long count = (long)lifetime.TotalMinutes / (long)interval.TotalMinutes;
        var windows = new List<AnalysisWindow>((int)Math.Min(count, 10_000));
        for (int i = 1; i <= count; i++)
        {
            DateTimeOffset windowEnd = start + (interval * i);
            DateTimeOffset windowStart = Lookback > TimeSpan.Zero ? windowEnd - Lookback : start;
            windows.Add(new AnalysisWindow(i, windowStart, windowEnd, windowStart - ControlOffset, windowEnd - ControlOffset));
        }

        return windows;
    }

    private static void Require(bool condition, string field, TimeSpan value, string requirement)
    {
        if (!condition)
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture, "IntervalSchedule: {0} must be {1}; it is {2}.", field, requirement, value),
                field);
        }
    }
}
