using System.Globalization;
using Canary.Analysis.Evaluation.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// Judges, window after window, whether the canary has more slow requests than the baseline, with the always-valid, exact,
/// one-sided test of <see cref="SequentialErrorRateEvaluator"/> (per endpoint, weighted, plus service-wide): a request slower
/// than its endpoint's bound — a bucket's <c>le</c> — is the "error". Each window's latency histograms become, per endpoint,
/// slow requests among all requests (<c>+Inf</c> minus the bound's cumulative count), handed to that evaluator. Pure: no I/O
/// and no clock but the times it is given; everything it has accumulated is <see cref="State"/>.
/// </summary>
/// <remarks>
/// <para><b>Why the test stays exact.</b> The error-rate test is valid for any event whose definition is fixed before the window
/// it counts: under the null hypothesis — in each window both versions' requests have the same latency distribution — a
/// request is slow with the same probability in both versions, so the slow counts are the error counts of equal error rates
/// and each window's factor has conditional mean at most 1 given everything before the window. A bound is either given
/// (<see cref="SequentialLatencyCriteria.LatencyBound"/>, depending on nothing), or chosen from the baseline's histogram over a
/// history that ends where the first window it judges starts (<see cref="Add"/>'s <c>baselineHistory</c>, refused when it ends
/// later), and never changes afterwards, restarts included: it is known before that window, so the e-process stays a test
/// supermartingale and α holds over every look. An endpoint adds nothing (factor 1) in the windows before its bound, and in a
/// window whose data cannot be split exactly (no histogram, the bound's bucket missing in either version, counts not valid): those
/// decisions read the data's shape, never the split of slow requests between the versions. The canary's latency is never read
/// to choose a bound.</para>
/// <para><b>Never a Pass on missing evidence.</b> Besides the error-rate evaluator's rules (gaps, no baseline traffic, too few
/// canary requests, no data in the latest window), the check is Inconclusive while a judged endpoint has no bound yet and when
/// the latest window could not count a judged endpoint, naming it. A bound in the <c>+Inf</c> bucket (the baseline's quantile
/// above the highest finite bucket) becomes the highest finite bound; a histogram with no finite bucket gives no bound.</para>
/// </remarks>
public sealed class SequentialLatencyEvaluator
{
    /// <summary>The name of the checks this evaluator produces.</summary>
    public const string CheckName = "sequential-latency";

    private SequentialErrorRateEvaluator _test;
    private SequentialLatencyState _state;

    /// <summary>Creates the evaluator, fresh or resuming saved evidence.</summary>
    /// <param name="criteria">The criteria (validated now).</param>
    /// <param name="state">Evidence saved from <see cref="State"/> to resume; null starts afresh.</param>
    /// <exception cref="ArgumentNullException"><paramref name="criteria"/> is null.</exception>
    /// <exception cref="ArgumentException">The criteria are invalid, or the state is not one the evaluator could have reached.</exception>
    public SequentialLatencyEvaluator(SequentialLatencyCriteria criteria, SequentialLatencyState? state = null)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        criteria.Validate();
        Criteria = criteria;
        state?.Validate();
        _state = state ?? SequentialLatencyState.Initial(criteria);
        _test = Test(baselineSelector: null);
    }

    /// <summary>Gets the criteria.</summary>
    public SequentialLatencyCriteria Criteria { get; }

    /// <summary>Gets the baseline's selector, named in the reason when the baseline has no traffic to compare with.</summary>
    /// <value>The default value is null.</value>
    public LabelSelector? BaselineSelector
    {
        get => _test.BaselineSelector;
        init => _test = Test(value);
    }

    /// <summary>Gets or sets everything accumulated so far: save it to resume the same test (setting it restores, checked by <see cref="SequentialLatencyState.Validate"/>).</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">The value is not a state the evaluator could have reached.</exception>
    public SequentialLatencyState State
    {
        get => _state;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            _test.State = value.Test;
            _state = value;
        }
    }

    /// <summary>The error-rate test the slow requests are judged with, on the current state, in the words of slow requests.</summary>
    private SequentialErrorRateEvaluator Test(LabelSelector? baselineSelector) =>
        new(Criteria.Test, _state.Test) { BaselineSelector = baselineSelector, Words = EventWords.SlowRequests };

    /// <summary>
    /// Gets a value indicating whether the next <see cref="Add"/> needs the baseline's history to choose bounds: no fixed
    /// bound, and no endpoint judged yet or a judged endpoint still without its bound.
    /// </summary>
    public bool NeedsBaselineHistory =>
        Criteria.LatencyBound is null && (_state.Test.Endpoints.Count == 0 || _state.Test.Endpoints.Any(e => _state.BoundOf(e.Endpoint) is null));

    /// <summary>
    /// Gets where the baseline's history starts for a window starting at <paramref name="windowStart"/>:
    /// <see cref="SequentialLatencyCriteria.BaselineHistory"/> before the first window (this one, before any).
    /// </summary>
    /// <param name="windowStart">The start of the window about to be added.</param>
    /// <returns>The start of the history to read, up to <paramref name="windowStart"/>.</returns>
    public DateTimeOffset BaselineHistoryStart(DateTimeOffset windowStart) => (_state.Started ?? windowStart) - Criteria.BaselineHistory;

    /// <summary>Adds the canary's and the baseline's traffic of one window (read with latency) and judges the evidence so far.</summary>
    /// <param name="canary">The canary's traffic in the window, with latency histograms.</param>
    /// <param name="baseline">The baseline's traffic in the same window, with latency histograms.</param>
    /// <param name="windowStart">The start of the window (normally <see cref="SequentialErrorRateState.WindowStart"/> of <see cref="SequentialLatencyState.Test"/>, once set).</param>
    /// <param name="windowEnd">The end of the window.</param>
    /// <param name="baselineHistory">
    /// The baseline's traffic with latency over a period ending at or before <paramref name="windowStart"/> (normally from
    /// <see cref="BaselineHistoryStart"/>), from which endpoints without a bound get one; null chooses none in this window.
    /// </param>
    /// <returns>The verdict on all the evidence so far, with a row per judged endpoint (values: the share of requests not slow) and a one-line reason.</returns>
    /// <exception cref="ArgumentNullException">A snapshot is null.</exception>
    /// <exception cref="ArgumentException">The window does not end after it starts, or the history ends after the window starts.</exception>
    public CheckResult Add(TrafficSnapshot canary, TrafficSnapshot baseline, DateTimeOffset windowStart, DateTimeOffset windowEnd, TrafficSnapshot? baselineHistory = null)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(baseline);
        if (baselineHistory is not null && baselineHistory.End > windowStart)
        {
            throw new ArgumentException("The baseline's history must end at or before the window's start: a bound must not depend on the data it judges.", nameof(baselineHistory));
        }

        var state = _state;
        var judged = state.Test.Endpoints.Select(e => e.Endpoint).ToList();
        var names = judged.Count > 0 ? judged : canary.Endpoints.Keys.Union(baseline.Endpoints.Keys, StringComparer.Ordinal).ToList();
        var bounds = new List<SlowRequestBound>(state.Bounds);
        var problems = new List<string>();
        ChooseBounds(names, bounds, windowStart, baselineHistory, problems);

        var canaryCounts = new List<EndpointTraffic>(names.Count);
        var baselineCounts = new List<EndpointTraffic>(names.Count);
        foreach (var name in names.Union(canary.Endpoints.Keys, StringComparer.Ordinal))
        {
            var bound = bounds.Find(b => string.Equals(b.Endpoint, name, StringComparison.Ordinal));
            if (bound is not null && TrySplit(canary, name, bound.UpperBound, out var c, problems) & TrySplit(baseline, name, bound.UpperBound, out var b, problems))
            {
                canaryCounts.Add(c);
                baselineCounts.Add(b);
            }
            else
            {
                // No bound yet, or data that cannot be split exactly: the endpoint is present (so it is judged) and counts nothing.
                canaryCounts.Add(new EndpointTraffic(name, 0, 0));
                baselineCounts.Add(new EndpointTraffic(name, 0, 0));
            }
        }

        var test = _test.Add(
            new TrafficSnapshot(canary.End, canary.Window, canaryCounts, canary.Warnings) { Gaps = canary.Gaps },
            new TrafficSnapshot(baseline.End, baseline.Window, baselineCounts, baseline.Warnings) { Gaps = baseline.Gaps },
            windowStart,
            windowEnd);
        _state = state with
        {
            Test = _test.State,
            Bounds = bounds,
            Started = state.Started ?? windowStart,
            LastLookProblem = problems.Count == 0 ? null : FirstThree(problems) + ": those endpoints add no evidence in the window ending " + Time(windowEnd) + ".",
        };
        return Judge(test);
    }

    /// <summary>Judges the evidence so far, without a new window.</summary>
    /// <returns>The verdict, with a row per judged endpoint and a one-line reason.</returns>
    public CheckResult Result() => Judge(_test.Result());

    /// <summary>The verdict on the error-rate test's result for the slow requests, with what only latency knows (bounds, their problems).</summary>
    private CheckResult Judge(CheckResult test)
    {
        var state = _state;
        var reason = test.Reason;
        var verdict = test.Verdict;
        if (verdict != Verdict.Fail)
        {
            var waiting = state.Test.Endpoints.Where(e => state.BoundOf(e.Endpoint) is null).Select(e => Format.Endpoint(e.Endpoint)).ToList();
            if (state.LastLookProblem is { } problem && state.Test.LastLookProblem is null)
            {
                (verdict, reason) = (Verdict.Inconclusive, problem);
            }
            else if (waiting.Count > 0 && state.Test.LastLookProblem is null)
            {
                verdict = Verdict.Inconclusive;
                reason = string.Create(CultureInfo.InvariantCulture,
                    $"No latency bound yet for {FirstThree(waiting)}: each needs {Criteria.MinimumBaselineRequests:0.#} baseline requests in its history before it is judged; {char.ToLowerInvariant(reason[0])}{reason[1..]}");
            }
        }

        return new CheckResult(CheckName, verdict, test.Value, test.Threshold, $"{reason} {Bounds(state, test)}", test.Endpoints)
            .WithEvidence(test.EvidenceKind, test.EvidenceValue, test.EvidenceBoundary, verdict == Verdict.Inconclusive ? test.TimeNeeded : null);
    }

    /// <summary>Fixes the bound of every endpoint in <paramref name="names"/> that has none and enough baseline history.</summary>
    private void ChooseBounds(List<string> names, List<SlowRequestBound> bounds, DateTimeOffset windowStart, TrafficSnapshot? history, List<string> problems)
    {
        if (Criteria.LatencyBound is { } fixedBound)
        {
            foreach (var name in names.Where(n => !bounds.Exists(b => string.Equals(b.Endpoint, n, StringComparison.Ordinal))))
            {
                bounds.Add(new SlowRequestBound(name, fixedBound.TotalSeconds, windowStart));
            }

            return;
        }

        if (history is null)
        {
            return;
        }

        if (GapRules.Blocking(history, Criteria.Test.AllowPartialResponses) is { Count: > 0 } gaps)
        {
            problems.Add($"the baseline's history for the bounds: {GapRules.Describe(gaps)}");
            return;
        }

        foreach (var name in names)
        {
            if (bounds.Exists(b => string.Equals(b.Endpoint, name, StringComparison.Ordinal))
                || history.Endpoints.GetValueOrDefault(name)?.Latency is not { } latency
                || !(latency.Count >= Criteria.MinimumBaselineRequests))
            {
                continue;
            }

            var upper = latency.QuantileBucket(Criteria.BaselineQuantile);
            if (!double.IsFinite(upper))
            {
                upper = latency.HighestFiniteBound();
            }

            if (double.IsFinite(upper))
            {
                var slow = latency.CountAbove(upper);
                bounds.Add(new SlowRequestBound(name, upper, windowStart)
                {
                    BaselineRequests = latency.Count,
                    BaselineSlowShare = double.IsFinite(slow) ? Math.Clamp(slow / latency.Count, 0, 1) : 0,
                });
            }
        }
    }

    /// <summary>
    /// One version's requests of an endpoint as (all, not slow): from its histogram's <c>+Inf</c> bucket and the bound's bucket.
    /// No traffic is zero; a histogram missing, without the bound's bucket or with counts that cannot be split is a problem.
    /// </summary>
    private static bool TrySplit(TrafficSnapshot snapshot, string name, double bound, out EndpointTraffic counts, List<string> problems)
    {
        counts = new EndpointTraffic(name, 0, 0);
        var traffic = snapshot.Endpoints.GetValueOrDefault(name);
        if (traffic?.Latency is not { } latency)
        {
            if (traffic is null || traffic.Requests == 0)
            {
                return true;
            }

            problems.Add($"{Format.Endpoint(name)}: no latency histogram");
            return false;
        }

        var total = latency.Count;
        var slow = latency.CountAbove(bound);
        if (!double.IsFinite(total) || !double.IsFinite(slow) || total < 0 || slow > total)
        {
            var buckets = string.Join(", ", latency.Buckets.Select(b => double.IsPositiveInfinity(b.UpperBound) ? "+Inf" : b.UpperBound.ToString("R", CultureInfo.InvariantCulture)).Distinct().Take(20));
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{Format.Endpoint(name)}: the histogram cannot be split at le=\"{bound:R}\" (its buckets: {buckets})"));
            return false;
        }

        counts = new EndpointTraffic(name, total, total - slow);
        return true;
    }

    /// <summary>"Slow: /a > 250 ms, /b > 500 ms …" for the endpoints that matter in the result (breached first).</summary>
    private static string Bounds(SequentialLatencyState state, CheckResult test)
    {
        if (state.Bounds.Count == 0)
        {
            return "No bound chosen yet.";
        }

        var distinct = state.Bounds.Select(b => b.UpperBound).Distinct().ToList();
        if (distinct.Count == 1 && state.Bounds.All(b => b.BaselineRequests == 0))
        {
            return $"Slow: slower than {Format.Seconds(distinct[0])} (fixed).";
        }

        var order = test.Endpoints.OrderByDescending(e => e.Status == EndpointStatus.LimitBreached).ThenByDescending(e => e.Contribution).Select(e => e.Endpoint).ToList();
        var shown = order.Select(state.BoundOf).OfType<SlowRequestBound>().Take(3).Select(b => string.Create(CultureInfo.InvariantCulture,
            $"{Format.Endpoint(b.Endpoint)} > {Format.Seconds(b.UpperBound)}{(b.BaselineRequests > 0 ? $" (baseline's {Format.Percent(b.BaselineSlowShare)} of {b.BaselineRequests:0})" : string.Empty)}"));
        var more = state.Bounds.Count > 3 ? $" and {state.Bounds.Count - 3} more" : string.Empty;
        return $"Slow: {string.Join(", ", shown)}{more}.";
    }

    private static string FirstThree(List<string> items) =>
        string.Join("; ", items.Take(3)) + (items.Count > 3 ? $" and {items.Count - 3} more" : string.Empty);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF 'UTC'", CultureInfo.InvariantCulture);
}
