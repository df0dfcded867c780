using System.Globalization;
using Canary.Analysis.Evaluation.Internal;
using Canary.Analysis.Statistics;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// Judges, window after window, whether the canary's error rate is higher than the baseline's, with two kinds of always-valid
/// sequential evidence (exact on counts): one per endpoint (<see cref="SequentialRateRatioEvidence"/>), and one service-wide
/// for a common rate ratio across every endpoint (each endpoint still compared with its own baseline), which sees a regression
/// spread over many endpoints long before any single endpoint could. Fails as soon as the combined evidence crosses 1/α;
/// passes only once the canary is shown not worse than the baseline by more than a margin (below), and is Inconclusive
/// otherwise, with the bound reached so far and the time still needed at the current traffic. Pure: no I/O and no clock but the
/// times it is given; everything it has accumulated is <see cref="State"/>.
/// </summary>
/// <remarks>
/// <para>The combined evidence is an average of e-values: <see cref="SequentialErrorRateCriteria.ServiceWideShare"/> times the
/// service-wide one, plus the rest times the endpoints' e-values averaged by weight. An average of test martingales is one, so
/// the probability that a healthy canary ever fails is at most α, whatever the number of windows; and the average is never
/// weaker than splitting α among the parts (a weighted Bonferroni split).</para>
/// <para>α spent where the decision is made: over the first <see cref="SequentialErrorRateCriteria.SpendingLooks"/> looks (the
/// fail-fast step), <see cref="SequentialErrorRateCriteria.SpendingShare"/> of α goes to exact group-sequential tests of the
/// canary's share of the errors (<see cref="GroupSequentialSplitEvidence"/>: one service-wide, one per endpoint, α split as the
/// e-values' weights), which spend their α linearly look by look where the 1/α boundary of an e-value spends only a few
/// percent of it in 13 looks. The e-values keep the rest of α for every look of the policy. A Fail by either is a Fail; by a
/// union bound the probability that a healthy canary ever fails stays at most α.</para>
/// <para>What a Pass proves: the always-valid upper bound (<see cref="NonInferiorityBound.Weighted(ReadOnlySpan{IntervalCounts}, ReadOnlySpan{double}, double, ReadOnlySpan{double}, Span{double})"/>, at confidence 1 − α over
/// every look) on how far the canary's weighted success rate — the endpoints' success rates averaged by their weights — is
/// below the baseline's is at most <see cref="SequentialErrorRateCriteria.NonInferiorityMargin"/>. The bound is a function of
/// the cumulative counts alone, so it holds at whichever look the check passes and continues across restarts; the probability
/// that the check ever passes a canary whose weighted success rate is more than the margin below the baseline's is at most α
/// (assuming each version's rate per endpoint is steady; see <see cref="NonInferiorityBound"/>). Errors in bursts: the counts
/// are read with the dispersion the tests are tempered with (counts / φ; see
/// <see cref="SequentialErrorRateCriteria.EstimateErrorDispersion"/>), which widens the bound by about √φ and keeps its
/// coverage (measured), where independent-error counts would make it optimistic. It is reported in
/// <see cref="CheckResult.SuccessRateDropBound"/> and per endpoint in <see cref="EndpointResult.SuccessRateDropBound"/>. Until it
/// reaches the margin the check is Inconclusive, naming the endpoint that widens the bound most and the time still needed,
/// projected at each endpoint's observed traffic per minute since the first look.</para>
/// <para>Evidence integrity: a Pass also needs canary and baseline requests in the latest window and baseline traffic on every
/// judged endpoint (a canary-only route, or a baseline selector that matches nothing, is reported with the canary's errors and
/// never passed; it adds no evidence either way unless <see cref="SequentialErrorRateCriteria.CanaryOnlyMaximumErrorRate"/> is
/// set). Windows with gaps or counts that are not valid add no evidence (see <see cref="Add(TrafficSnapshot, TrafficSnapshot, DateTimeOffset, DateTimeOffset)"/>); a Fail, once reached, stays.</para>
/// <para>Shared outages: a window whose errors, both versions together, are far above the endpoint's usual rate
/// (<see cref="SequentialErrorRateCriteria.SharedOutageErrorFactor"/>) carries no information about the split, yet its exact
/// likelihood ratios would favour equal rates and erase evidence already built. Its factor is hedged instead:
/// w + (1 − w) × its likelihood ratio (<see cref="SequentialErrorRateCriteria.SharedOutageNullWeight"/>), per endpoint and
/// jointly for the service-wide test. The decision reads only the window's totals and earlier windows, and given the totals
/// each likelihood ratio has mean at most 1 under equal rates, so the hedged factor has too: the evidence stays a test
/// supermartingale, valid whatever the stopping time.</para>
/// <para>Each endpoint's row states rates on one scale and its evidence apart: <see cref="EndpointResult.Value"/> and
/// <see cref="EndpointResult.BaselineValue"/> the canary's and the baseline's success rates so far, <see cref="EndpointResult.Limit"/>
/// the success-rate floor of a canary-only endpoint (1 − <see cref="SequentialErrorRateCriteria.CanaryOnlyMaximumErrorRate"/>)
/// and null otherwise, <see cref="EndpointResult.EvidenceValue"/> the endpoint's largest e-value so far against
/// <see cref="EndpointResult.EvidenceBoundary"/> = 1 / ((1 − <see cref="SequentialErrorRateCriteria.ServiceWideShare"/>) × its
/// weight × α), the e-value at which it alone crosses, and <see cref="EndpointResult.Contribution"/> its current e-value as a
/// fraction of that boundary.</para>
/// <para>The judged endpoints are fixed at the first window that finds any (those listed with a positive weight, plus those seen
/// then when unlisted endpoints get weight: <see cref="EndpointWeights.Resolve(IEnumerable{KeyValuePair{string, double}})"/>), so
/// the weights cannot drift; endpoints appearing later are reported, not judged.</para>
/// </remarks>
public sealed class SequentialErrorRateEvaluator
{
    /// <summary>The name of the checks this evaluator produces.</summary>
    public const string CheckName = "sequential-error-rate";

    private SequentialErrorRateState _state;

    // The time still needed, as the last reason estimated it (set while judging, read by Result).
    private TimeSpan? _timeNeeded;

    /// <summary>Creates the evaluator, fresh or resuming saved evidence.</summary>
    /// <param name="criteria">The criteria (validated now).</param>
    /// <param name="state">Evidence saved from <see cref="State"/> to resume; null starts afresh.</param>
    /// <exception cref="ArgumentNullException"><paramref name="criteria"/> is null.</exception>
    /// <exception cref="ArgumentException">The criteria are invalid, or the state is not one the evaluator could have reached.</exception>
    public SequentialErrorRateEvaluator(SequentialErrorRateCriteria criteria, SequentialErrorRateState? state = null)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        criteria.Validate();
        Criteria = criteria;
        state?.Validate();
        state?.RequireFits(criteria);
        _state = state ?? SequentialErrorRateState.Initial(criteria);
    }

    /// <summary>Gets the criteria.</summary>
    public SequentialErrorRateCriteria Criteria { get; }

    /// <summary>Gets the words the reasons are written with (errors, or slow requests for the latency evaluator).</summary>
    internal EventWords Words { get; init; } = EventWords.Errors;

    /// <summary>Gets the baseline's selector, named in the reason when the baseline has no traffic to compare with.</summary>
    /// <value>The default value is null: the reason does not name it.</value>
    public LabelSelector? BaselineSelector { get; init; }

    /// <summary>Gets or sets everything accumulated so far: save it to resume the same test later (setting it restores, checked by <see cref="SequentialErrorRateState.Validate"/>).</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">The value is not a state the evaluator could have reached.</exception>
    public SequentialErrorRateState State
    {
        get => _state;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            value.RequireFits(Criteria);
            _state = value;
        }
    }

    /// <summary>Adds the canary's and the baseline's traffic of one window and judges the evidence so far.</summary>
    /// <param name="canary">The canary's traffic in the window.</param>
    /// <param name="baseline">The baseline's traffic in the same window.</param>
    /// <param name="windowStart">The start of the window (normally <see cref="SequentialErrorRateState.WindowStart"/>, once set).</param>
    /// <param name="windowEnd">The end of the window.</param>
    /// <returns>The verdict on all the evidence so far, with a row per judged endpoint and a one-line reason.</returns>
    /// <remarks>
    /// A window whose data has gaps (<see cref="TrafficSnapshot.Gaps"/>; partial responses only when
    /// <see cref="SequentialErrorRateCriteria.AllowPartialResponses"/> accepts them) adds no evidence and is Inconclusive;
    /// <see cref="SequentialErrorRateState.WindowStart"/> stays at its start, so it is read again with the next one. A window
    /// with counts that are not valid (NaN, infinite, beyond 2⁵³, alone or added to what was counted) adds no evidence, is
    /// Inconclusive and is dropped.
    /// </remarks>
    /// <exception cref="ArgumentNullException">A snapshot is null.</exception>
    /// <exception cref="ArgumentException">The window does not end after it starts.</exception>
    public CheckResult Add(TrafficSnapshot canary, TrafficSnapshot baseline, DateTimeOffset windowStart, DateTimeOffset windowEnd) =>
        Add(canary, baseline, windowStart, windowEnd, null);

    /// <summary>
    /// Adds one window as <see cref="Add(TrafficSnapshot, TrafficSnapshot, DateTimeOffset, DateTimeOffset)"/> does, with the
    /// baseline's history (<see cref="SequentialErrorRateCriteria.BaselineHistory"/>), read only when the endpoints are chosen.
    /// </summary>
    /// <param name="canary">The canary's traffic in the window.</param>
    /// <param name="baseline">The baseline's traffic in the same window.</param>
    /// <param name="windowStart">The start of the window.</param>
    /// <param name="windowEnd">The end of the window.</param>
    /// <param name="baselineHistory">
    /// The baseline's traffic before the canary, in <see cref="BaselineHistoryOptions.Segments"/> consecutive windows, oldest
    /// first; used when this window chooses the judged endpoints (its use is then fixed in <see cref="State"/>), ignored after.
    /// Null, or a history with gaps, judges against the concurrent baseline only, saying so in the reason.
    /// </param>
    /// <returns>The verdict on all the evidence so far.</returns>
    /// <exception cref="ArgumentNullException">A snapshot is null.</exception>
    /// <exception cref="ArgumentException">The window does not end after it starts.</exception>
    public CheckResult Add(TrafficSnapshot canary, TrafficSnapshot baseline, DateTimeOffset windowStart, DateTimeOffset windowEnd, IReadOnlyList<TrafficSnapshot>? baselineHistory)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(baseline);
        if (windowEnd <= windowStart)
        {
            throw new ArgumentException($"A window must end after it starts: {Time(windowStart)} to {Time(windowEnd)}.", nameof(windowEnd));
        }

        var state = _state;
        var gaps = GapRules.Blocking(Criteria.AllowPartialResponses, canary, baseline);
        if (gaps.Count > 0)
        {
            _state = state with
            {
                WindowStart = windowStart,
                LastLookProblem = string.Create(CultureInfo.InvariantCulture,
                    $"{GapRules.Describe(gaps)}: the window since {Time(windowStart)} adds no evidence and is read again at the next look."),
            };
            return Result();
        }

        // An idle first window (a canary not yet serving) must not leave the evaluator with nothing to judge for ever.
        IReadOnlyList<SequentialEndpointEvidence> endpoints = state.Endpoints.Count > 0 ? state.Endpoints : Choose(canary, baseline);
        if (state.Endpoints.Count == 0 && endpoints.Count > 0 && Criteria.BaselineHistory is not null)
        {
            // Chosen from the history and the window's length alone: each endpoint's α is split between its concurrent and
            // history tests before any of the canary's errors is read.
            var step = (windowEnd - windowStart) * Criteria.SpendingLooks!.Value;
            var (histories, note) = BaselineHistoryStart.Start([.. endpoints.Select(e => (e.Endpoint, e.Weight))], baselineHistory, Criteria, step);
            endpoints = [.. endpoints.Select((e, i) => e with { History = histories[i], Spending = e.Spending is null ? null : Criteria.EndpointSpending(e.Weight, histories[i]?.Share ?? 0) })];
            var serviceWideShare = histories.Any(h => h is not null) && state.ServiceWideSpending is { Look: 0 }
                ? Criteria.HistoryShare(histories.Sum(h => h is null ? 0 : h.Errors) * (step / TimeSpan.FromTicks(Math.Max(1, baselineHistory!.Sum(s => s.Window.Ticks)))))
                : 0;
            state = state with
            {
                ServiceWideSpending = serviceWideShare > 0 ? Criteria.ServiceWideSpending(serviceWideShare) : state.ServiceWideSpending,
                ServiceWideHistory = Criteria.HistoryServiceWideTest(serviceWideShare),
                ServiceWideHistoryShare = serviceWideShare,
                HistoryNote = note,
            };
        }

        // Read every judged endpoint's counts first: one invalid count and the window adds nothing, so no partial look counts.
        var counts = new IntervalCounts[endpoints.Count];
        var invalid = new List<string>();
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            if (WholeCounts.TryRead(canary.Endpoints.GetValueOrDefault(endpoint.Endpoint), out var cr, out var ce) & WholeCounts.TryRead(baseline.Endpoints.GetValueOrDefault(endpoint.Endpoint), out var br, out var be)
                && endpoint.CanAdd(cr, br))
            {
                counts[i] = new IntervalCounts(ce, cr, be, br);
            }
            else
            {
                invalid.Add(Format.Endpoint(endpoint.Endpoint));
            }
        }

        if (invalid.Count > 0)
        {
            var more = invalid.Count > 3 ? $" and {invalid.Count - 3} more" : string.Empty;
            _state = state with
            {
                Endpoints = endpoints,
                WindowStart = windowEnd,
                LastLookProblem = $"Counts not valid (NaN, infinite or beyond 2^53) for {string.Join(", ", invalid.Take(3))}{more}: the window ending {Time(windowEnd)} adds no evidence.",
            };
            return Result();
        }

        // Shared outages and the dispersion tempering are told from each endpoint's totals and earlier windows alone, before
        // any split is read.
        // With bursts, one burst is a usual event: the outage threshold's excess is counted in bursts of the estimated size
        // (from earlier windows). An outage flagged on a minority of the endpoints with traffic is taken for a burst and
        // counted in the dispersion; one shared by most of them is not (it would make every later window look bursty).
        var outage = new bool[endpoints.Count];
        var burstScale = Criteria.EstimateErrorDispersion ? BurstTempering.Finite(BurstTempering.Pooled([.. endpoints.Select(e => e.Dispersion)])) : 1;
        int flagged = 0, withTraffic = 0;
        for (var i = 0; i < endpoints.Count; i++)
        {
            outage[i] = endpoints[i].IsSharedOutage(counts[i], Criteria.SharedOutageErrorFactor, burstScale);
            flagged += outage[i] ? 1 : 0;
            withTraffic += counts[i].CanaryTrials + counts[i].BaselineTrials > 0 ? 1 : 0;
        }

        var widespread = 2 * flagged > withTraffic;
        var dispersions = new SequentialErrorDispersion[endpoints.Count];
        var countedInDispersion = new bool[endpoints.Count];
        for (var i = 0; i < endpoints.Count; i++)
        {
            countedInDispersion[i] = !(outage[i] && widespread);
            dispersions[i] = countedInDispersion[i] ? endpoints[i].Dispersion.Add(counts[i].CanaryEvents + counts[i].BaselineEvents, counts[i].CanaryTrials + counts[i].BaselineTrials) : endpoints[i].Dispersion;
        }

        var exponents = Exponents(endpoints, counts, dispersions);
        var updated = new SequentialEndpointEvidence[endpoints.Count];
        var perEndpoint = 0.0;
        long canaryTotal = 0, baselineTotal = 0;
        for (var i = 0; i < endpoints.Count; i++)
        {
            updated[i] = endpoints[i].Add(counts[i], outage[i], Criteria.SharedOutageNullWeight, exponents[i]) with
            {
                Dispersion = dispersions[i],
                History = endpoints[i].History?.Add(counts[i], Criteria.SharedOutageErrorFactor, Criteria.BaselineHistory!.StabilityLevel),
            };
            perEndpoint += updated[i].Weight * updated[i].EValue;
            (canaryTotal, baselineTotal) = (canaryTotal + counts[i].CanaryTrials, baselineTotal + counts[i].BaselineTrials);
        }

        var serviceWide = state.ServiceWide.Add(counts, outage, Criteria.SharedOutageNullWeight, exponents);
        var kept = Enumerable.Range(0, counts.Length).Where(i => !outage[i] && !SequentialEndpointEvidence.IsOneBurst(counts[i], exponents[i])).ToArray();
        var serviceWideSpending = state.ServiceWideSpending?.Add([.. kept.Select(i => counts[i])], [.. kept.Select(i => exponents[i])]);
        var (serviceWideHistory, serviceWideSwitchedOff) = ServiceWideHistory(state, endpoints, updated, counts);
        var share = Criteria.ServiceWideShare;
        _state = state with
        {
            ServiceWideHistory = serviceWideHistory,
            ServiceWideHistorySwitchedOff = serviceWideSwitchedOff,
            Endpoints = updated,
            ServiceWide = serviceWide,
            ServiceWideSpending = serviceWideSpending,
            MaxCombinedEValue = updated.Length > 0 ? Math.Max(state.MaxCombinedEValue, ((1 - share) * perEndpoint) + (share * serviceWide.EValue)) : state.MaxCombinedEValue,
            UnjudgedEndpoints = Unjudged(state.UnjudgedEndpoints, updated, canary),
            WindowStart = windowEnd,
            LastLook = windowEnd,
            Since = state.Since ?? windowStart,
            CanarySeenAt = canaryTotal > 0 ? windowEnd : state.CanarySeenAt,
            BaselineSeenAt = baselineTotal > 0 ? windowEnd : state.BaselineSeenAt,
            LastLookProblem = null,
        };
        return Result();
    }

    /// <summary>
    /// The service-wide history test after the window: the canary's errors of every endpoint whose history test counted the
    /// window (in use, not an outage of the baseline's), against their null rates; switched off once the concurrent baseline's
    /// errors, pooled over the endpoints with history, are significantly above what their history rates predict. Reads the
    /// canary's errors only to add them.
    /// </summary>
    private (GroupSequentialSplitEvidence? Test, string? SwitchedOff) ServiceWideHistory(SequentialErrorRateState state, IReadOnlyList<SequentialEndpointEvidence> before, SequentialEndpointEvidence[] after, IntervalCounts[] counts)
    {
        if (state.ServiceWideHistory is not { } test || state.ServiceWideHistorySwitchedOff is not null || test.IsClosed)
        {
            return (state.ServiceWideHistory, state.ServiceWideHistorySwitchedOff);
        }

        double errors = 0, requests = 0, expected = 0, dispersion = 1;
        var (strata, exponents) = (new List<IntervalCounts>(), new List<double>());
        for (var i = 0; i < after.Length; i++)
        {
            if (after[i].History is not { } history)
            {
                continue;
            }

            (errors, requests, expected, dispersion) = (errors + history.BaselineErrors, requests + history.BaselineRequests, expected + (history.Rate * history.BaselineRequests), history.Dispersion);
            if (history.SwitchedOff is null && !before[i].History!.IsOutage(counts[i], Criteria.SharedOutageErrorFactor))
            {
                strata.Add(history.SliceCounts(counts[i], test.Look));
                exponents.Add(1 / history.Dispersion);
            }
        }

        if (requests > 0 && BaselineHistoryEvidence.Drifted(errors, requests, expected / requests, dispersion, Criteria.BaselineHistory!.StabilityLevel))
        {
            return (test, string.Create(CultureInfo.InvariantCulture,
                $"the concurrent baseline's errors {errors}/{requests} are above the {expected / requests:0.###%} the history's rates predict"));
        }

        return (test.Add([.. strata], [.. exponents]), null);
    }

    /// <summary>Judges the evidence so far, without a new window.</summary>
    /// <returns>The verdict, with a row per judged endpoint and a one-line reason.</returns>
    public CheckResult Result()
    {
        _timeNeeded = null;
        var result = Judge();
        return result.WithEvidence(EvidenceKind.EValue, result.Value / Criteria.ReserveAlpha, 1 / Criteria.ReserveAlpha, result.Verdict == Verdict.Inconclusive ? _timeNeeded : null);
    }

    private CheckResult Judge()
    {
        var state = _state;
        var alpha = Criteria.ReserveAlpha;
        var endpointShare = 1 - Criteria.ServiceWideShare;
        var rows = new List<EndpointResult>(state.Endpoints.Count);
        var (bound, rowBounds) = DropBound(state.Endpoints, Criteria.Alpha, BoundDispersions(state.Endpoints));
        var shortOfData = new List<string>();
        var noBaseline = new List<string>();
        (SequentialEndpointEvidence Endpoint, double Contribution)? top = null;
        (SequentialEndpointEvidence Endpoint, double Part)? widest = null;
        foreach (var (endpoint, rowBound) in state.Endpoints.Zip(rowBounds).OrderBy(e => e.First.Endpoint, StringComparer.Ordinal))
        {
            // The endpoint's part of the combined e-value, as a fraction of the boundary 1/α; it alone crosses at 1.
            var weight = endpoint.Weight;
            var contribution = endpointShare * weight * endpoint.EValue * alpha;
            if (top is null || contribution > top.Value.Contribution)
            {
                top = (endpoint, contribution);
            }

            // Once an endpoint alone has crossed, it stays marked, like the verdict: its largest e-value against its own boundary
            // (the share of the combined boundary 1/α it reaches alone), the same numbers the row reports as its evidence.
            var boundary = 1 / (endpointShare * weight * alpha);
            EndpointStatus status;
            var name = Format.Endpoint(endpoint.Endpoint);
            if (endpoint.MaxEValue >= boundary || endpoint.Spending is { Crossed: true } || endpoint.History is { Crossed: true })
            {
                status = EndpointStatus.LimitBreached;
            }
            else if (endpoint.BaselineRequests == 0)
            {
                // Nothing to compare with (a canary-only route, a baseline selector that matches nothing): never a Pass.
                status = EndpointStatus.Insufficient;
                noBaseline.Add($"{name} (canary {Words.Events} {endpoint.CanaryErrors}/{endpoint.CanaryRequests})");
            }
            else if (endpoint.CanaryRequests < Criteria.MinimumRequestsPerEndpoint)
            {
                status = EndpointStatus.Insufficient;
                shortOfData.Add($"{name} (n={endpoint.CanaryRequests}, needs {Criteria.MinimumRequestsPerEndpoint.ToString("0.#", CultureInfo.InvariantCulture)})");
            }
            else
            {
                status = EndpointStatus.Judged;
            }

            // Value and limit are rates on one scale (the limit only where the check judges against a fixed rate: a canary-only
            // endpoint's floor); the e-value and its boundary are the evidence.
            rows.Add(new EndpointResult(endpoint.Endpoint, status, endpoint.CanaryRequests, endpoint.CanaryRequests - endpoint.CanaryErrors,
                endpoint.CanarySuccessRate, weight, contribution, endpoint.CanaryOnly is { } canaryOnly ? 1 - canaryOnly.Limit : null, endpoint.BaselineSuccessRate)
            {
                SuccessRateDropBound = rowBound,
                EvidenceKind = EvidenceKind.EValue,
                EvidenceValue = endpoint.MaxEValue,
                EvidenceBoundary = boundary,
            });
            if (weight > 0 && (widest is null || weight * rowBound > widest.Value.Part))
            {
                widest = (endpoint, weight * rowBound);
            }
        }

        if (top is not { } strongest)
        {
            return new CheckResult(Words.CheckName, Verdict.Inconclusive, double.NaN, 1, "No evidence: no endpoint to judge.", rows) { SuccessRateDropBound = bound };
        }

        var value = state.MaxCombinedEValue * alpha;
        var serviceWide = Criteria.ServiceWideShare * state.ServiceWide.EValue * alpha;
        var unjudged = (state.UnjudgedEndpoints.Count > 0 ? $" ({state.UnjudgedEndpoints.Count} endpoint(s) seen after the first look are not judged)" : string.Empty) + HistorySummary();
        if (SpendingFailReason() is { } spendingReason)
        {
            return new CheckResult(Words.CheckName, Verdict.Fail, Math.Max(value, 1), 1, spendingReason, rows) { SuccessRateDropBound = bound };
        }

        if (value >= 1)
        {
            return new CheckResult(Words.CheckName, Verdict.Fail, value, 1, FailReason(strongest, serviceWide, value), rows) { SuccessRateDropBound = bound };
        }

        if (state.LastLookProblem is { } problem)
        {
            return new CheckResult(Words.CheckName, Verdict.Inconclusive, value, 1, $"{problem}{unjudged}", rows) { SuccessRateDropBound = bound };
        }

        if (noBaseline.Count > 0)
        {
            var selector = BaselineSelector is null ? string.Empty : $" {{{BaselineSelector}}}";
            return new CheckResult(Words.CheckName, Verdict.Inconclusive, value, 1,
                $"No baseline traffic to compare with (check the baseline selector{selector}): {FirstThree(noBaseline)}; such endpoints are never passed{unjudged}.", rows)
            { SuccessRateDropBound = bound };
        }

        var margin = Criteria.NonInferiorityMargin;
        var proven = Proven(bound, margin, widest);
        if (shortOfData.Count > 0)
        {
            return new CheckResult(Words.CheckName, Verdict.Inconclusive, value, 1,
                $"No regression seen so far; not enough canary requests yet: {FirstThree(shortOfData)}; {proven}{Needed(bound, margin)}{unjudged}.", rows)
            { SuccessRateDropBound = bound };
        }

        if (state.CanarySeenAt != state.LastLook || state.BaselineSeenAt != state.LastLook)
        {
            var (version, lastSeen) = state.CanarySeenAt != state.LastLook ? ("canary", state.CanarySeenAt) : ("baseline", state.BaselineSeenAt);
            return new CheckResult(Words.CheckName, Verdict.Inconclusive, value, 1,
                $"No {version} data since {(lastSeen is { } seen ? Time(seen) : "the start")}: a Pass needs requests of both versions in the latest window{unjudged}.", rows)
            { SuccessRateDropBound = bound };
        }

        if (!(bound <= margin))
        {
            return new CheckResult(Words.CheckName, Verdict.Inconclusive, value, 1,
                $"No regression seen so far, but not yet shown within the margin: {proven}{Needed(bound, margin)}{unjudged}.", rows)
            { SuccessRateDropBound = bound };
        }

        var strongestName = serviceWide > strongest.Contribution ? "the service-wide test" : Format.Endpoint(strongest.Endpoint.Endpoint);
        return new CheckResult(Words.CheckName, Verdict.Pass, value, 1, string.Create(CultureInfo.InvariantCulture,
            $"Shown not worse than the baseline by more than {Points(margin)}: {proven}; no alarm (evidence at most {value:P0} of the boundary, strongest: {strongestName}), over {state.Endpoints.Count} endpoint(s){unjudged}."), rows)
        { SuccessRateDropBound = bound };
    }

    /// <summary>
    /// Each endpoint's tempering exponent 1/φ for the window (1 everywhere when the dispersion is neither estimated nor given):
    /// from the window's totals, the endpoints' earlier windows and the pooled dispersion including this window's totals.
    /// </summary>
    private double[] Exponents(IReadOnlyList<SequentialEndpointEvidence> endpoints, IntervalCounts[] counts, SequentialErrorDispersion[] dispersions)
    {
        var exponents = new double[endpoints.Count];
        var estimate = Criteria.EstimateErrorDispersion;
        var pooled = estimate ? BurstTempering.Pooled(dispersions) : 1;
        for (var i = 0; i < endpoints.Count; i++)
        {
            var (errors, requests) = (counts[i].CanaryEvents + counts[i].BaselineEvents, counts[i].CanaryTrials + counts[i].BaselineTrials);

            // Until the endpoints' own estimate exists (and at an endpoint's first window), the baseline's history, when there is
            // one, gives the dispersion and the usual rate: read from the baseline alone, never the split.
            var phi = !estimate ? Criteria.MinimumErrorDispersion
                : endpoints[i].History is { } history && (double.IsPositiveInfinity(pooled) || endpoints[i].Dispersion.Requests == 0)
                    ? BurstTempering.Dispersion(errors, requests, new SequentialErrorDispersion { Windows = 1, Errors = history.Errors, Requests = history.Requests }, history.Dispersion, Criteria.MinimumErrorDispersion)
                    : BurstTempering.Dispersion(errors, requests, endpoints[i].Dispersion, pooled, Criteria.MinimumErrorDispersion);
            exponents[i] = 1 / phi;
        }

        return exponents;
    }

    /// <summary>
    /// The dispersion φ each endpoint's counts are read with by the non-inferiority bound (counts / φ), in the state's order: the
    /// pooled estimate the tests are tempered with (<see cref="SequentialErrorRateCriteria.EstimateErrorDispersion"/>), at least
    /// <see cref="SequentialErrorRateCriteria.MinimumErrorDispersion"/>. Until the estimate exists (too few errors to tell how
    /// they cluster), as the tests read a window's errors as one burst: the size-biased mean of the endpoint's window errors
    /// (<see cref="SequentialErrorDispersion.WindowsAsBursts"/>; the errors of windows left out as shared outages as one burst),
    /// or its history's dispersion when larger — so a few early error-free canary requests prove nothing. Errors in bursts
    /// would otherwise make the bound, and a Pass, optimistic. The projection of the time still needed
    /// (<paramref name="projection"/>) reads the errors as independent until then (or as the history says): the estimate
    /// will exist long before the bound can reach the margin.
    /// </summary>
    private double[] BoundDispersions(IReadOnlyList<SequentialEndpointEvidence> endpoints, bool projection = false)
    {
        var minimum = Criteria.MinimumErrorDispersion;
        var pooled = Criteria.EstimateErrorDispersion ? BurstTempering.Pooled([.. endpoints.Select(e => e.Dispersion)]) : minimum;
        return [.. endpoints.Select(e => Math.Max(minimum, double.IsFinite(pooled) ? pooled : NotYetEstimated(e)))];

        double NotYetEstimated(SequentialEndpointEvidence e) =>
            Math.Max(projection ? 1 : Math.Max(e.Dispersion.WindowsAsBursts, e.OutageErrors), e.History?.Dispersion ?? 1);
    }

    /// <summary>The weighted bound on the success-rate drop and each endpoint's own (at its share of α), in the state's order.</summary>
    private static (double Bound, double[] Rows) DropBound(IReadOnlyList<SequentialEndpointEvidence> endpoints, double alpha, double[] dispersions)
    {
        var rows = new double[endpoints.Count];
        if (endpoints.Count == 0 || !endpoints.Any(e => e.Weight > 0))
        {
            Array.Fill(rows, double.NaN);
            return (double.NaN, rows);
        }

        var counts = endpoints.Select(e => new IntervalCounts(e.CanaryErrors, e.CanaryRequests, e.BaselineErrors, e.BaselineRequests)).ToArray();
        var weights = endpoints.Select(e => e.Weight).ToArray();
        return (NonInferiorityBound.Weighted(counts, weights, alpha, dispersions, rows), rows);
    }

    /// <summary>"the weighted {Words.GoodRate} is at most 3.1 points below the baseline's (95 % always-valid bound; margin 1 point; widest: /rare, 1.9 points)".</summary>
    private string Proven(double bound, double margin, (SequentialEndpointEvidence Endpoint, double Part)? widest)
    {
        var confidence = Format.Percent(1 - Criteria.Alpha);
        var wide = widest is { } w && bound > margin ? $"; widest: {Format.Endpoint(w.Endpoint.Endpoint)}, {Points(w.Part)} of it" : string.Empty;
        return bound <= 0
            ? $"the weighted {Words.GoodRate} is at least {Points(-bound)} above the baseline's ({confidence} always-valid bound; margin {Points(margin)})"
            : $"the weighted {Words.GoodRate} is at most {Points(bound)} below the baseline's ({confidence} always-valid bound; margin {Points(margin)}{wide})";
    }

    /// <summary>"; needs ~2 h 10 min more at this traffic", or why that cannot be estimated; keeps the estimate in <see cref="_timeNeeded"/>.</summary>
    private string Needed(double bound, double margin)
    {
        var state = _state;
        if (bound <= margin)
        {
            return string.Empty;
        }

        if (state.Since is not { } since || state.LastLook is not { } last)
        {
            return string.Empty;
        }

        if (state.Endpoints.FirstOrDefault(e => e.Weight > 0 && (e.CanaryRequests == 0 || e.BaselineRequests == 0)) is { } idle)
        {
            return $"; the time still needed cannot be estimated while {Format.Endpoint(idle.Endpoint)} has no {(idle.CanaryRequests == 0 ? "canary" : "baseline")} requests";
        }

        _timeNeeded = MarginProjection.TimeNeeded(state.Endpoints, last - since, Criteria.Alpha, BoundDispersions(state.Endpoints, projection: true), margin);
        return _timeNeeded is { } needed
            ? $"; needs {MarginProjection.Describe(needed)} more at this traffic"
            : $"; needs more than {MarginProjection.Horizon.TotalDays:0} days at this traffic and these {Words.Rate}s";
    }

    private static string Points(double difference) =>
        (difference * 100).ToString(Math.Abs(difference) >= 0.1 ? "0.#" : "0.##", CultureInfo.InvariantCulture) + (Math.Abs((difference * 100) - 1) < 1e-9 ? " point" : " points");

    /// <summary>The judged endpoints, chosen before any error is counted, from the weights and the baseline's traffic alone.</summary>
    private List<SequentialEndpointEvidence> Choose(TrafficSnapshot canary, TrafficSnapshot baseline)
    {
        var seen = canary.Endpoints.Keys.Concat(baseline.Endpoints.Keys).Select(name => KeyValuePair.Create(name, 0.0));
        var chosen = new List<SequentialEndpointEvidence>();
        foreach (var endpoint in Criteria.Weights.Resolve(seen).Where(e => !e.IsExcluded))
        {
            // Which test applies cannot depend on the evidence: a canary-only route is known from the baseline's traffic.
            var canaryOnly = Criteria.CanaryOnlyMaximumErrorRate is { } limit && baseline.Endpoints.GetValueOrDefault(endpoint.Endpoint) is not { Requests: > 0 }
                ? new SequentialRateLimitEvidence(limit, Criteria.MinimumRateRatio, Criteria.MaximumRateRatio)
                : null;
            chosen.Add(new SequentialEndpointEvidence(endpoint.Endpoint, endpoint.Share,
                new SequentialRateRatioEvidence(Alternative.Greater, Criteria.MinimumRateRatio, Criteria.MaximumRateRatio), canaryOnly)
            {
                Spending = canaryOnly is null ? Criteria.EndpointSpending(endpoint.Share) : null,
            });
        }

        return chosen;
    }

    private static IReadOnlyList<string> Unjudged(IReadOnlyList<string> known, SequentialEndpointEvidence[] judged, TrafficSnapshot canary)
    {
        var judgedNames = new HashSet<string>(judged.Select(e => e.Endpoint), StringComparer.Ordinal);
        var names = new HashSet<string>(known, StringComparer.Ordinal);
        var added = canary.Endpoints.Keys.Where(n => !judgedNames.Contains(n) && names.Add(n)).ToList();
        return added.Count == 0 ? known : [.. known, .. added];
    }

    private string FailReason((SequentialEndpointEvidence Endpoint, double Contribution) top, double serviceWide, double value)
    {
        var alpha = Criteria.ReserveAlpha;
        var state = _state;
        var total = string.Create(CultureInfo.InvariantCulture, $"combined evidence {value:G3} × the boundary 1/α = {1 / alpha:G3} (α {alpha:G2} over every look, always valid)");
        var name = Format.Endpoint(top.Endpoint.Endpoint);
        if (serviceWide >= top.Contribution)
        {
            return $"{ServiceWideCounts()}; {total}; the largest single endpoint share is {name}'s.";
        }

        var endpoint = top.Endpoint;
        if (endpoint.CanaryOnly is { } canaryOnly)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{name}: canary {Words.Events} {endpoint.CanaryErrors}/{endpoint.CanaryRequests} ({Percent(endpoint.CanaryErrors, endpoint.CanaryRequests)}) with no baseline to compare with, above the canary-only limit {canaryOnly.Limit:0.###%}; {total}, {top.Contribution / value:P0} of it from this endpoint.");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{name}: canary {Words.Events} {endpoint.CanaryErrors}/{endpoint.CanaryRequests} ({Percent(endpoint.CanaryErrors, endpoint.CanaryRequests)}) vs baseline {endpoint.BaselineErrors}/{endpoint.BaselineRequests} ({Percent(endpoint.BaselineErrors, endpoint.BaselineRequests)}); {total}, {top.Contribution / value:P0} of it from this endpoint.");
    }

    /// <summary>
    /// The reason of a Fail by an exact group-sequential test, or null when none has crossed: an endpoint's first (the one to
    /// look at), else the service-wide test's.
    /// </summary>
    private string? SpendingFailReason()
    {
        var state = _state;
        var endpoint = state.Endpoints.Where(e => e.Spending is { Crossed: true }).OrderBy(e => e.Endpoint, StringComparer.Ordinal).FirstOrDefault();
        if (endpoint is not null)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{Format.Endpoint(endpoint.Endpoint)}: canary {Words.Events} {endpoint.CanaryErrors}/{endpoint.CanaryRequests} ({Percent(endpoint.CanaryErrors, endpoint.CanaryRequests)}) vs baseline {endpoint.BaselineErrors}/{endpoint.BaselineRequests} ({Percent(endpoint.BaselineErrors, endpoint.BaselineRequests)}); {SpendingText(endpoint.Spending!)}.");
        }

        if (state.ServiceWideSpending is { Crossed: true } serviceWide)
        {
            return $"{ServiceWideCounts()}; {SpendingText(serviceWide)}.";
        }

        var history = state.Endpoints.Where(e => e.History is { Crossed: true }).OrderBy(e => e.Endpoint, StringComparer.Ordinal).FirstOrDefault();
        if (history is not null)
        {
            var h = history.History!;
            return string.Create(CultureInfo.InvariantCulture,
                $"{Format.Endpoint(history.Endpoint)}: canary {Words.Events} {history.CanaryErrors}/{history.CanaryRequests} ({Percent(history.CanaryErrors, history.CanaryRequests)}) vs the baseline's history {h.Errors}/{h.Requests} ({Percent(h.Errors, h.Requests)}); {HistoryText(h.Test, h.NullRate)}.");
        }

        return state.ServiceWideHistory is { Crossed: true } serviceWideHistory
            ? $"{ServiceWideCounts()}; against the baseline's history, {HistoryText(serviceWideHistory, null)}."
            : null;
    }

    private string HistoryText(GroupSequentialSplitEvidence test, double? nullRate) => string.Create(CultureInfo.InvariantCulture,
        $"the exact test against the history's errors{(nullRate is { } rate ? $" (its rate with the drift tolerance: {rate:0.###%})" : string.Empty)} crossed at look {test.Look}: {test.CanaryEvents:0.##} canary {Words.Events} ≥ the critical value {test.CriticalValue} (α {test.Alpha:G2} spent over {test.Looks} looks)");

    /// <summary>"; baseline history: used for 24 of 25 endpoints; …", or empty without history.</summary>
    private string HistorySummary()
    {
        var state = _state;
        if (Criteria.BaselineHistory is null || state.Endpoints.Count == 0)
        {
            return string.Empty;
        }

        var used = state.Endpoints.Count(e => e.History is { SwitchedOff: null });
        var switchedOff = state.Endpoints.Where(e => e.History is { SwitchedOff: not null }).ToList();
        var parts = new List<string> { $"in use for {used} of {state.Endpoints.Count} endpoint(s)" };
        if (state.HistoryNote is { } note)
        {
            parts.Add(note);
        }

        if (switchedOff.Count > 0)
        {
            parts.Add($"switched off for {Format.Endpoint(switchedOff[0].Endpoint)} ({switchedOff[0].History!.SwitchedOff}){(switchedOff.Count > 1 ? $" and {switchedOff.Count - 1} more" : string.Empty)}");
        }

        if (state.ServiceWideHistorySwitchedOff is { } off)
        {
            parts.Add($"service-wide switched off ({off})");
        }

        return $" (baseline history: {string.Join("; ", parts)}; otherwise judged against the concurrent baseline only)";
    }

    private string SpendingText(GroupSequentialSplitEvidence test) => string.Create(CultureInfo.InvariantCulture,
        $"the exact test of the first {test.Looks} looks crossed at look {test.Look}: {test.CanaryEvents:0.##} canary {Words.Events} ≥ the critical value {test.CriticalValue} of equal rates (α {test.Alpha:G2} spent over those looks)");

    private string ServiceWideCounts()
    {
        long cr = 0, ce = 0, br = 0, be = 0;
        foreach (var e in _state.Endpoints)
        {
            (cr, ce, br, be) = (cr + e.CanaryRequests, ce + e.CanaryErrors, br + e.BaselineRequests, be + e.BaselineErrors);
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"Service-wide: canary {Words.Events} {ce}/{cr} ({Percent(ce, cr)}) vs baseline {be}/{br} ({Percent(be, br)}) over {_state.Endpoints.Count} endpoint(s), each compared with its own baseline");
    }

    private static string FirstThree(List<string> items) =>
        string.Join(", ", items.Take(3)) + (items.Count > 3 ? $" and {items.Count - 3} more" : string.Empty);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF 'UTC'", CultureInfo.InvariantCulture);

    private static string Percent(long errors, long requests) =>
        requests == 0 ? "no requests" : (errors / (double)requests).ToString("0.###%", CultureInfo.InvariantCulture);
}
