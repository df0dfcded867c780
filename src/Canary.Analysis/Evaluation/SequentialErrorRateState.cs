using System.Globalization;
using System.Text.Json.Serialization;
using Canary.Analysis.Internal;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// Everything a <see cref="SequentialErrorRateEvaluator"/> has accumulated: the judged endpoints with their counts and
/// e-values, the service-wide evidence, the largest combined evidence, and when data was last seen. An immutable value with
/// value equality (<c>==</c>), serializable with System.Text.Json (source generation, Native AOT), so a controller can save
/// it with the rollout's state and resume the same test after a restart.
/// </summary>
/// <param name="ServiceWide">The service-wide evidence: one common error-rate ratio across every judged endpoint.</param>
public sealed record SequentialErrorRateState(SequentialRateRatioEvidence ServiceWide)
{
    private readonly ValueArray<SequentialEndpointEvidence> _endpoints = ValueArray<SequentialEndpointEvidence>.Empty;
    private readonly ValueArray<string> _unjudged = ValueArray<string>.Empty;

    /// <summary>
    /// Gets the judged endpoints, in the order they were chosen (at the first window that had any, and then fixed, so
    /// the weights cannot drift).
    /// </summary>
    /// <value>The default value is empty: no endpoint chosen yet.</value>
    public IReadOnlyList<SequentialEndpointEvidence> Endpoints
    {
        get => _endpoints;
        init => _endpoints = ValueArray<SequentialEndpointEvidence>.From(value);
    }

    /// <summary>Gets the canary's endpoints seen after the judged ones were chosen: reported, not judged.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> UnjudgedEndpoints
    {
        get => _unjudged;
        init => _unjudged = ValueArray<string>.From(value);
    }

    /// <summary>Gets the largest combined e-value so far (a Fail, once reached, stays).</summary>
    /// <value>The default value is 1.</value>
    [JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public double MaxCombinedEValue { get; init; } = 1;

    /// <summary>
    /// Gets the start of the next window: the end of the last window added (or dropped for counts that are not valid), or
    /// the start of a window with gaps, which is read again; null before the first window.
    /// </summary>
    public DateTimeOffset? WindowStart { get; init; }

    /// <summary>
    /// Gets the start of the first window whose counts were added: with <see cref="LastLook"/> it gives each endpoint's observed
    /// traffic per minute, from which the time a Pass still needs is projected. Null before the first window (and in states
    /// saved before it was kept: the time still needed is then not estimated).
    /// </summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Gets the end of the last window whose counts were added.</summary>
    public DateTimeOffset? LastLook { get; init; }

    /// <summary>Gets the end of the last window with canary requests on the judged endpoints.</summary>
    public DateTimeOffset? CanarySeenAt { get; init; }

    /// <summary>Gets the end of the last window with baseline requests on the judged endpoints.</summary>
    public DateTimeOffset? BaselineSeenAt { get; init; }

    /// <summary>Gets why the last window added no evidence (gaps, counts that are not valid), or null when it did.</summary>
    public string? LastLookProblem { get; init; }

    /// <summary>Gets the service-wide exact group-sequential test over the first looks, or null without one.</summary>
    public GroupSequentialSplitEvidence? ServiceWideSpending { get; init; }

    /// <summary>
    /// Gets the service-wide history test (<see cref="SequentialErrorRateCriteria.BaselineHistory"/>): the canary's errors over
    /// every endpoint whose history is in use, split against their history's slices; null without history.
    /// </summary>
    public GroupSequentialSplitEvidence? ServiceWideHistory { get; init; }

    /// <summary>Gets the share of the service-wide exact test's α given to the service-wide history test (0 without it).</summary>
    public double ServiceWideHistoryShare { get; init; }

    /// <summary>Gets why the service-wide history test was switched off (the concurrent baseline's rate above the history's), or null.</summary>
    public string? ServiceWideHistorySwitchedOff { get; init; }

    /// <summary>Gets where and why the baseline's history was not used when the endpoints were chosen, or null.</summary>
    public string? HistoryNote { get; init; }

    /// <summary>Creates the state before any window: no endpoint chosen, every e-value 1.</summary>
    /// <param name="criteria">The criteria (their service-wide rate ratios shape the service-wide evidence).</param>
    /// <returns>The initial state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="criteria"/> is null.</exception>
    public static SequentialErrorRateState Initial(SequentialErrorRateCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        return new(new SequentialRateRatioEvidence(Alternative.Greater, criteria.ServiceWideMinimumRateRatio, criteria.ServiceWideMaximumRateRatio))
        {
            ServiceWideSpending = criteria.ServiceWideSpending(),
        };
    }

    /// <summary>
    /// Checks that the state could have been reached (saved state is checked, not obeyed): the service-wide evidence is
    /// there, judged endpoints are distinct with counts 0 ≤ errors ≤ requests ≤ 2⁵³, weights in [0, 1] and dispersion sums that
    /// whole windows within their totals could give, unjudged endpoints are not judged ones, the largest combined e-value is at
    /// least 1, no time is after <see cref="WindowStart"/>, and <see cref="Since"/> is before <see cref="LastLook"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An invariant does not hold; the message names it.</exception>
    public void Validate()
    {
        Require(ServiceWide is not null, "the service-wide evidence is missing");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in Endpoints)
        {
            Require(e is { Endpoint: not null, Evidence: not null } && names.Add(e.Endpoint), "a judged endpoint is missing, unnamed, without evidence or listed twice");
            Require(e.Weight is >= 0 and <= 1, Invariant($"the weight of {e.Endpoint} is {e.Weight}, not in [0, 1]"));
            Require(e.CanaryErrors >= 0 && e.CanaryErrors <= e.CanaryRequests && e.CanaryRequests <= SequentialEndpointEvidence.MaximumExactCount
                && e.BaselineErrors >= 0 && e.BaselineErrors <= e.BaselineRequests && e.BaselineRequests <= SequentialEndpointEvidence.MaximumExactCount,
                Invariant($"the counts of {e.Endpoint} are not 0 ≤ errors ≤ requests ≤ 2^53"));
            Require(e.OutageErrors >= 0 && e.OutageErrors <= e.OutageRequests && e.OutageRequests <= e.CanaryRequests + e.BaselineRequests
                && e.OutageErrors <= e.CanaryErrors + e.BaselineErrors,
                Invariant($"the shared-outage counts of {e.Endpoint} are not 0 ≤ errors ≤ requests within its totals"));
            Require(e.History is null || (e.History is { Test: not null, Slices: not null, Dispersion: >= 1, NullRate: >= 0 and < 1 } h && h.Errors >= 0 && h.Errors <= h.Requests
                && h.BaselineErrors >= 0 && h.BaselineErrors <= h.BaselineRequests && h.BaselineRequests <= e.BaselineRequests && double.IsFinite(h.Dispersion) && h.SlicesFit),
                Invariant($"the history of {e.Endpoint} has no test, counts not 0 ≤ errors ≤ requests, a dispersion below 1, a null rate outside [0, 1) or slices that do not add up to its errors, one a look"));
            Require(e.Dispersion is not null && e.Dispersion.IsConsistent(e.CanaryErrors + e.BaselineErrors, e.CanaryRequests + e.BaselineRequests),
                Invariant($"the dispersion sums of {e.Endpoint} are missing or could not come from whole windows within its totals"));
        }

        Require(UnjudgedEndpoints.All(n => n is not null && !names.Contains(n)), "an unjudged endpoint is missing or also judged");
        Require(MaxCombinedEValue >= 1, Invariant($"the largest combined e-value is {MaxCombinedEValue}, below its start 1"));
        Require(!(LastLook > WindowStart || CanarySeenAt > LastLook || BaselineSeenAt > LastLook) && (LastLook is null || WindowStart is not null),
            "the times are out of order (seen ≤ last look ≤ window start)");
        Require(Since is null || (LastLook is { } last && Since < last), "the first window's start is not before the last look");
    }

    /// <summary>
    /// Refuses a state whose exact tests do not fit the criteria (another α, share or number of looks): obeying it would spend
    /// an α the policy does not grant. A state without them (saved before they existed, or without spending) is accepted: its
    /// e-values alone are valid.
    /// </summary>
    /// <exception cref="ArgumentException">An exact test does not fit.</exception>
    internal void RequireFits(SequentialErrorRateCriteria criteria)
    {
        var maximumShare = criteria.BaselineHistory?.Share ?? 0;
        Require(ServiceWideHistoryShare >= 0 && ServiceWideHistoryShare <= maximumShare && (ServiceWideHistory is null || ServiceWideHistoryShare > 0)
            && Endpoints.All(e => e.History is null || (e.History.Share > 0 && e.History.Share <= maximumShare)),
            Invariant($"its history shares do not fit the criteria (at most {maximumShare})"));
        Require(ServiceWideSpending is null || Fits(ServiceWideSpending, criteria.ServiceWideSpending(ServiceWideHistoryShare)),
            Invariant($"its service-wide exact test (α {ServiceWideSpending?.Alpha}, {ServiceWideSpending?.Looks} looks) does not fit the criteria"));
        Require(ServiceWideHistory is null || Fits(ServiceWideHistory, criteria.HistoryServiceWideTest(ServiceWideHistoryShare)),
            Invariant($"its service-wide history test (α {ServiceWideHistory?.Alpha}, {ServiceWideHistory?.Looks} looks) does not fit the criteria"));
        foreach (var e in Endpoints)
        {
            Require(e.Spending is null || Fits(e.Spending, criteria.EndpointSpending(e.Weight, e.History?.Share ?? 0)),
                Invariant($"the exact test of {e.Endpoint} (α {e.Spending?.Alpha}, {e.Spending?.Looks} looks) does not fit the criteria"));
            Require(e.History is null || Fits(e.History.Test, criteria.HistoryEndpointTest(e.Weight, e.History.Share)),
                Invariant($"the history test of {e.Endpoint} (α {e.History?.Test.Alpha}, {e.History?.Test.Looks} looks) does not fit the criteria"));
        }

        static bool Fits(GroupSequentialSplitEvidence saved, GroupSequentialSplitEvidence? granted) =>
            granted is not null && saved.Looks == granted.Looks && Math.Abs(saved.Alpha - granted.Alpha) <= 1e-12 * granted.Alpha;
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new ArgumentException($"SequentialErrorRateState is not valid: {what}.");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
