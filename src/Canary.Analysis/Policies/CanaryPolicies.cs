using System.Globalization;
using Canary.Analysis.Analysis;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Policies;

/// <summary>
/// Ready-made canary policies from the lessons teams learned: a short fail-fast step at 5 %, then soaking at 10 %.
/// </summary>
/// <remarks>
/// <para>
/// Every analysis step measures its checks once a minute (the soak of <see cref="LongSoak"/> once an hour), starting one
/// interval after the step begins, so a step of N minutes is N measurements (count × interval = N minutes).
/// A failed measurement fails the step at once (failure limit 0: fail fast); inconclusive measurements (too little data
/// early in a step) are tolerated until the last one, so a step whose every measurement is inconclusive ends
/// Inconclusive, never passes. The first analysis is a <see cref="CanaryStep.FailFastAnalysis"/>: inconclusive there (no
/// regression seen, too little traffic yet, e.g. at night) advances to the soak, which must pass before promotion; an
/// inconclusive soak pauses for a human.
/// </para>
/// <para>
/// The <c>checks</c> factory is called once per analysis step with the trailing window its checks should read, and
/// returns the checks by metric name, e.g.
/// <c>window =&gt; new Dictionary&lt;string, IAnalysisCheck&gt; { ["success-rate"] = new SuccessRateCheck(source, canary, window, criteria) }</c>.
/// Checks should control their own false-alarm rate over repeated looks (a sequential test), since every look can fail the step.
/// Returning the same <see cref="SequentialErrorRateCheck"/> instance for every step keeps its evidence across steps and makes its α
/// bound the false rollbacks of the whole policy, not of each step.
/// </para>
/// </remarks>
public static class CanaryPolicies
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>The weight of the fail-fast step, 5 %.</summary>
    public const int FailFastWeight = 5;

    /// <summary>The weight of the soak steps, 10 %.</summary>
    public const int SoakWeight = 10;

    /// <summary>Returns the fail-fast step's length: 50 data points at the scrape interval, rounded up to whole minutes.</summary>
    /// <param name="scrapeInterval">The scrape interval; must be positive.</param>
    /// <returns><see cref="SampleSize.MinimumDuration"/> rounded up to a whole minute: 15 s → 13 minutes, 60 s → 50 minutes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scrapeInterval"/> is not positive.</exception>
    public static TimeSpan FailFastDuration(TimeSpan scrapeInterval) =>
        Minute * Math.Ceiling(SampleSize.MinimumDuration(scrapeInterval).Ticks / (double)Minute.Ticks);

    /// <summary>
    /// The problem statement's policy: 5 % for 13 minutes, fail-fast; then 10 % for 30 minutes, twice. 73 minutes of
    /// analysis in all at a 15 s scrape interval: <see cref="PolicyLinter"/> warns (CNY004) that it is shorter than 24 h.
    /// </summary>
    /// <param name="checks">Creates a step's checks by metric name for a trailing window (see <see cref="CanaryPolicies"/>).</param>
    /// <param name="scrapeInterval">The metrics' scrape interval; null means 15 seconds.</param>
    /// <returns>
    /// A policy named <c>fail-fast-then-soak</c> with the steps: 0 <c>SetWeight(5)</c>; 1 analysis <c>fail-fast</c>:
    /// <see cref="FailFastDuration"/> minutes (13 at 15 s; 50 at 60 s), each check reading a window of that length; 2
    /// <c>SetWeight(10)</c>; 3 and 4 analyses <c>soak-1</c> and <c>soak-2</c>: 30 minutes each (or the fail-fast length
    /// when longer), window the step's length. Promotion follows the last step.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="checks"/> is null or returns null.</exception>
    /// <exception cref="ArgumentException">The factory returns no check.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scrapeInterval"/> is not positive.</exception>
    public static CanaryPolicy FailFastThenSoak(Func<TimeSpan, IReadOnlyDictionary<string, IAnalysisCheck>> checks, TimeSpan? scrapeInterval = null)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var failFast = FailFastDuration(scrapeInterval ?? TimeSpan.FromSeconds(15));
        var soak = failFast > TimeSpan.FromMinutes(30) ? failFast : TimeSpan.FromMinutes(30);
        return new CanaryPolicy("fail-fast-then-soak",
        [
            CanaryStep.SetWeight(FailFastWeight),
            Step("fail-fast", checks, Minute, failFast, failFast, isFailFast: true),
            CanaryStep.SetWeight(SoakWeight),
            Step("soak-1", checks, Minute, soak, soak),
            Step("soak-2", checks, Minute, soak, soak),
        ]);
    }

    /// <summary>
    /// The long policy teams converged on: fail-fast at 5 %, then soak at 10 % across at least a day, so the analysis
    /// sees the users' peak hours whatever the start time of day.
    /// </summary>
    /// <param name="checks">Creates a step's checks by metric name for a trailing window (see <see cref="CanaryPolicies"/>).</param>
    /// <param name="scrapeInterval">The metrics' scrape interval; null means 15 seconds.</param>
    /// <param name="soak">How long to soak at 10 %; null means 24 hours.</param>
    /// <returns>
    /// A policy named <c>long-soak</c> with the steps: 0 <c>SetWeight(5)</c>; 1 analysis <c>fail-fast</c> as in
    /// <see cref="FailFastThenSoak"/>; 2 <c>SetWeight(10)</c>; 3 analysis <c>soak</c>: one measurement an hour (or every
    /// fail-fast length when longer), each check reading the last hour, ⌈soak / 1 h⌉ times (24 for a day). Promotion
    /// follows the soak.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="checks"/> is null or returns null.</exception>
    /// <exception cref="ArgumentException">The factory returns no check.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scrapeInterval"/> or <paramref name="soak"/> is not positive.</exception>
    public static CanaryPolicy LongSoak(Func<TimeSpan, IReadOnlyDictionary<string, IAnalysisCheck>> checks, TimeSpan? scrapeInterval = null, TimeSpan? soak = null)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var soakFor = soak ?? TimeSpan.FromHours(24);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(soakFor, TimeSpan.Zero, nameof(soak));
        var failFast = FailFastDuration(scrapeInterval ?? TimeSpan.FromSeconds(15));
        var hour = failFast > TimeSpan.FromHours(1) ? failFast : TimeSpan.FromHours(1);
        var looks = (int)Math.Ceiling(soakFor.Ticks / (double)hour.Ticks);
        return new CanaryPolicy("long-soak",
        [
            CanaryStep.SetWeight(FailFastWeight),
            Step("fail-fast", checks, Minute, failFast, failFast, isFailFast: true),
            CanaryStep.SetWeight(SoakWeight),
            Step("soak", checks, hour, hour * looks, hour),
        ]);
    }

    private static CanaryStep Step(string name, Func<TimeSpan, IReadOnlyDictionary<string, IAnalysisCheck>> checks, TimeSpan interval, TimeSpan duration, TimeSpan window, bool isFailFast = false)
    {
        var count = (int)(duration.Ticks / interval.Ticks);
        var created = checks(window) ?? throw new ArgumentNullException(nameof(checks), string.Create(CultureInfo.InvariantCulture, $"The checks factory returned null for step '{name}'."));
        var metrics = created.Select(c => new AnalysisMetric
        {
            Name = c.Key,
            Check = c.Value,
            Interval = interval,
            InitialDelay = interval,
            Count = count,
            InconclusiveLimit = count - 1,
        }).ToList();
        return isFailFast ? CanaryStep.FailFastAnalysis(name, metrics) : CanaryStep.Analysis(name, metrics);
    }
}
