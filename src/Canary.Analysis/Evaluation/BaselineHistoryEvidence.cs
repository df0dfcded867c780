using System.Text.Json.Serialization;
using Canary.Analysis.Internal;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// One judged endpoint's use of the baseline's history (<see cref="SequentialErrorRateCriteria.BaselineHistory"/>): the
/// history's counts and dispersion, the history's errors allotted to the spending looks (<see cref="Slices"/>), the exact
/// split test, and the concurrent baseline's counts the stability check compares with the history. Fixed when the endpoints
/// are chosen and saved with the evidence, so a restart resumes the same test without reading the history again. An
/// immutable value, part of <see cref="SequentialEndpointEvidence"/>.
/// </summary>
/// <param name="Requests">The baseline's requests over the history window.</param>
/// <param name="Errors">The baseline's errors over the history window.</param>
/// <param name="Dispersion">The dispersion φ ≥ 1 of the history's errors (how many arrive together); the test counts c/φ of the canary's c errors.</param>
/// <param name="Share">The share of the endpoint's exact-test α given to the history test; the concurrent test has the rest.</param>
/// <param name="NullRate">The rate the canary is compared with, for the reasons: the history's rate times (1 + tolerance). The
/// test itself compares the canary's errors with the history's errors (<see cref="Slices"/>), not with this estimate.</param>
/// <param name="Test">The exact group-sequential split test of the canary's errors against the history's, one slice a look.</param>
public sealed record BaselineHistoryEvidence(long Requests, long Errors, double Dispersion, double Share, double NullRate, GroupSequentialSplitEvidence Test)
{
    private readonly ValueArray<long> _slices = ValueArray<long>.Empty;

    /// <summary>
    /// Gets the history's errors allotted to the spending looks, one slice a look: each of the <see cref="Errors"/> went to a
    /// slice drawn uniformly at random (seeded from the history alone) when the endpoints were chosen, so under a steady rate
    /// the slices are independent Poisson counts, each the errors of <see cref="Requests"/> / looks history requests. Look k's
    /// canary errors are split against slice k: given their sum, the canary's share is Binomial with a known probability,
    /// whatever the baseline's rate — no bound on that rate is needed.
    /// </summary>
    public IReadOnlyList<long> Slices
    {
        get => _slices;
        init => _slices = ValueArray<long>.From(value);
    }

    /// <summary>
    /// Gets the history requests a slice stands for in the split, divided by 1 + tolerance (rounded down, so the canary's share
    /// under the null is never understated): Requests / (looks × (1 + tolerance)).
    /// </summary>
    public long SliceRequests { get; init; }

    /// <summary>Gets the concurrent baseline's requests in the windows the history test counted.</summary>
    public long BaselineRequests { get; init; }

    /// <summary>Gets the concurrent baseline's errors in the windows the history test counted.</summary>
    public long BaselineErrors { get; init; }

    /// <summary>Gets why the test was switched off (the concurrent baseline's rate above the history's), or null while it is in use.</summary>
    public string? SwitchedOff { get; init; }

    /// <summary>Gets the history's error rate.</summary>
    [JsonIgnore]
    public double Rate => Requests == 0 ? 0 : (double)Errors / Requests;

    /// <summary>Gets a value indicating whether the test has crossed: the canary's errors are above what the history's errors allow.</summary>
    [JsonIgnore]
    public bool Crossed => Test.Crossed;

    /// <summary>Whether the baseline's errors in a window are far above what the history's rate predicts (a shared outage): such a window is left out.</summary>
    internal bool IsOutage(IntervalCounts counts, double? factor) =>
        factor is { } k && counts.BaselineTrials > 0
        && counts.BaselineEvents >= (k * Rate * counts.BaselineTrials) + (SequentialEndpointEvidence.OutageMinimumExcess * Dispersion);

    /// <summary>
    /// The evidence after one window: left out when the baseline's own errors show an outage; switched off when the concurrent
    /// baseline's errors so far are significantly above the history's rate (at <paramref name="level"/>); else the canary's
    /// counts added to the test. Reads the canary's errors only to add them.
    /// </summary>
    internal BaselineHistoryEvidence Add(IntervalCounts counts, double? outageFactor, double level)
    {
        if (SwitchedOff is not null || Test.IsClosed)
        {
            return this;
        }

        if (IsOutage(counts, outageFactor))
        {
            return this with { Test = Test.AddAgainstRates([], [], []) };
        }

        var (requests, errors) = (BaselineRequests + counts.BaselineTrials, BaselineErrors + counts.BaselineEvents);
        if (Drifted(errors, requests, Rate, Dispersion, level))
        {
            return this with
            {
                BaselineRequests = requests,
                BaselineErrors = errors,
                SwitchedOff = FormattableString.Invariant($"the concurrent baseline's errors {errors}/{requests} are above the history's rate {Rate:0.###%}"),
            };
        }

        return this with
        {
            BaselineRequests = requests,
            BaselineErrors = errors,
            Test = Test.Add([SliceCounts(counts, Test.Look)], [1 / Dispersion]),
        };
    }

    /// <summary>
    /// A split test's stratum at its look <paramref name="look"/> (0-based): the canary's counts of the window against the
    /// history's slice of that look. The endpoint's test and the service-wide one each use a slice once.
    /// </summary>
    internal IntervalCounts SliceCounts(IntervalCounts counts, int look) =>
        new(counts.CanaryEvents, counts.CanaryTrials, look < Slices.Count ? Slices[look] : 0, SliceRequests);

    /// <summary>Whether the slices fit the test: one a look, each at most the requests it stands for, summing to the history's errors.</summary>
    internal bool SlicesFit =>
        Slices.Count == Test.Looks && SliceRequests >= 1 && SliceRequests <= Requests && Slices.All(s => s >= 0 && s <= SliceRequests) && Slices.Sum() == Errors;

    /// <summary>
    /// Whether <paramref name="errors"/> of <paramref name="requests"/> are significantly above <paramref name="rate"/>
    /// (one-sided, at <paramref name="level"/>; effective counts / φ).
    /// </summary>
    internal static bool Drifted(double errors, double requests, double rate, double dispersion, double level) =>
        requests > 0 && errors > rate * requests && RateBounds.AtLeast(errors / dispersion, requests / dispersion, rate) < level;
}
