using System.Globalization;
using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Evaluation.Internal;
using Canary.Analysis.Statistics;
using Canary.Analysis.Statistics.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Analysis;

/// <summary>
/// A fail-fast check that may look every interval without raising false alarms. Two kinds of always-valid sequential
/// evidence (<see cref="SequentialProportionTest"/>, exact on counts) that the canary's error rate is higher than the
/// baseline's: one per endpoint, and one service-wide for a common rate ratio across every endpoint (each endpoint
/// still compared with its own baseline), which sees a regression spread over many endpoints long before any single
/// endpoint could. The check fails as soon as the combined evidence crosses 1/α, passes only once every judged
/// endpoint has enough canary requests, and is Inconclusive otherwise, naming the endpoints still short of data.
/// </summary>
/// <remarks>
/// <para>The combined evidence is an average of e-values: <see cref="SequentialErrorRateCriteria.ServiceWideShare"/>
/// times the service-wide one, plus the rest times the endpoints' e-values averaged by weight. An average of test
/// martingales is one, so the probability that a healthy canary ever fails this check is at most α, whatever the number
/// of looks; and the average is never weaker than splitting α among the parts (a weighted Bonferroni split).</para>
/// <para>Each measurement reads the canary and the baseline over the time since the previous measurement (the first
/// one over <c>firstWindow</c>) and adds the counts to the check's history. The history is in memory and starts again
/// after a process restart (which only makes the test more cautious). Reuse one instance for every analysis step of a
/// policy (return the same instance from the step factory of <see cref="Policies.CanaryPolicies"/>) and α bounds the false
/// rollbacks of the whole policy, not of each step; the canary's share of traffic may change between steps.</para>
/// <para>Evidence integrity: a Pass also needs canary and baseline requests in the latest window (series that vanish after
/// a healthy look give Inconclusive, "no canary data since …") and baseline traffic on every judged endpoint (a canary-only
/// route, or a baseline selector that matches nothing, is reported with the canary's errors and never passed; it adds no
/// evidence either way). Windows with gaps or counts that are not valid add no evidence (see <see cref="MeasureAsync"/>);
/// a Fail, once reached, stays.</para>
/// <para>The judged endpoints are fixed at the first measurement that finds any (those listed with a positive weight, plus those seen
/// then when unlisted endpoints get weight), so the weights cannot drift; endpoints appearing later are reported, not judged.</para>
/// </remarks>
public sealed class SequentialErrorRateCheck : IAnalysisCheck
{
    /// <summary>The name of the checks this class produces.</summary>
    public const string CheckName = "sequential-error-rate";

    private readonly ITrafficSource _source;
    private readonly LabelSelector _canary;
    private readonly LabelSelector _baseline;
    private readonly TimeSpan _firstWindow;
    private readonly SequentialErrorRateCriteria _criteria;
    private readonly Dictionary<string, EndpointHistory> _endpoints = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unjudged = new(StringComparer.Ordinal);
    private readonly SequentialEvidence _serviceWide;
    private DateTimeOffset? _windowStart;
    private DateTimeOffset? _lastLook;
    private DateTimeOffset? _canarySeenAt;
    private DateTimeOffset? _baselineSeenAt;
    private string? _lookProblem;
    private bool _endpointsChosen;
    private double _totalWeight;
    private double _maxCombined = 1;

    /// <summary>Creates the check.</summary>
    /// <param name="source">Where traffic is read.</param>
    /// <param name="canary">Selects the canary's series.</param>
    /// <param name="baseline">Selects the baseline's series.</param>
    /// <param name="firstWindow">The window of the first measurement (typically the look interval).</param>
    /// <param name="criteria">The criteria (validated now).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The criteria are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The first window is not positive.</exception>
    public SequentialErrorRateCheck(ITrafficSource source, LabelSelector canary, LabelSelector baseline, TimeSpan firstWindow, SequentialErrorRateCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(firstWindow, TimeSpan.Zero);
        criteria.Validate();
        (_source, _canary, _baseline, _firstWindow, _criteria) = (source, canary, baseline, firstWindow, criteria);
        _serviceWide = new SequentialEvidence(Alternative.Greater, criteria.ServiceWideMinimumRateRatio, criteria.ServiceWideMaximumRateRatio);
    }

    /// <inheritdoc />
    /// <remarks>The window is null: the evidence accumulates over every look, so a step judges all of its time.</remarks>
    public CheckDescription Description => new()
    {
        Judges = CheckSubject.ErrorRate,
        Weights = _criteria.Weights,
        MinimumRequestsPerEndpoint = _criteria.MinimumRequestsPerEndpoint,
        ComparesWithBaseline = true,
        SequentialAlpha = _criteria.Alpha,
    };

    /// <inheritdoc />
    /// <remarks>
    /// A look reads (end of the last window it used, <paramref name="now"/>], at any precision (a real clock's ticks). A look
    /// whose data has gaps (<see cref="TrafficSnapshot.Gaps"/>; partial responses only when
    /// <see cref="SequentialErrorRateCriteria.AllowPartialResponses"/> accepts them) adds no evidence and is Inconclusive; its
    /// window is read again by the next look, when the data may be whole. A look with counts that are not valid (NaN,
    /// infinite, beyond 2⁵³) adds no evidence, is Inconclusive and its window is dropped. A source that throws adds nothing.
    /// </remarks>
    public async Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        _windowStart ??= now - _firstWindow;
        var window = now - _windowStart.Value;
        if (window <= TimeSpan.Zero)
        {
            return Summarise();
        }

        var canaryTask = _source.ReadAsync(new TrafficQuery(_canary, now, window), cancellationToken);
        var baselineTask = _source.ReadAsync(new TrafficQuery(_baseline, now, window), cancellationToken);
        await Task.WhenAll(canaryTask, baselineTask).ConfigureAwait(false);
        var canary = await canaryTask.ConfigureAwait(false);
        var baseline = await baselineTask.ConfigureAwait(false);

        var gaps = GapRules.Blocking(_criteria.AllowPartialResponses, canary, baseline);
        if (gaps.Count > 0)
        {
            _lookProblem = string.Create(CultureInfo.InvariantCulture,
                $"{GapRules.Describe(gaps)}: the window since {Time(_windowStart.Value)} adds no evidence and is read again at the next look.");
            return Summarise();
        }

        if (!_endpointsChosen)
        {
            // An idle first window (a canary not yet serving) must not leave the check with nothing to judge for ever.
            ChooseEndpoints(canary, baseline);
            _endpointsChosen = _endpoints.Count > 0;
        }

        // Read every judged endpoint's counts first: one invalid count and the window adds nothing, so no partial look counts.
        var counts = new (long CanaryRequests, long CanaryErrors, long BaselineRequests, long BaselineErrors)[_endpoints.Count];
        var invalid = new List<string>();
        var i = 0;
        foreach (var (name, history) in _endpoints)
        {
            if (TryWhole(canary.Endpoints.GetValueOrDefault(name), out var cr, out var ce) & TryWhole(baseline.Endpoints.GetValueOrDefault(name), out var br, out var be)
                && history.CanAdd(cr, br))
            {
                counts[i++] = (cr, ce, br, be);
            }
            else
            {
                invalid.Add(Format(name));
            }
        }

        _windowStart = now;
        if (invalid.Count > 0)
        {
            var more = invalid.Count > 3 ? $" and {invalid.Count - 3} more" : string.Empty;
            _lookProblem = $"Counts not valid (NaN, infinite or beyond 2^53) for {string.Join(", ", invalid.Take(3))}{more}: the window ending {Time(now)} adds no evidence.";
            return Summarise();
        }

        _lookProblem = null;
        var perEndpoint = 0.0;
        long canaryTotal = 0, baselineTotal = 0;
        i = 0;
        foreach (var history in _endpoints.Values)
        {
            var (cr, ce, br, be) = counts[i++];
            history.Add(cr, ce, br, be);
            _serviceWide.Accumulate(ce, cr, be, br);
            perEndpoint += history.Weight / _totalWeight * history.EValue;
            (canaryTotal, baselineTotal) = (canaryTotal + cr, baselineTotal + br);
        }

        _serviceWide.Update();
        var share = _criteria.ServiceWideShare;
        if (_endpoints.Count > 0)
        {
            _maxCombined = Math.Max(_maxCombined, ((1 - share) * perEndpoint) + (share * _serviceWide.EValue));
        }

        _lastLook = now;
        if (canaryTotal > 0)
        {
            _canarySeenAt = now;
        }

        if (baselineTotal > 0)
        {
            _baselineSeenAt = now;
        }

        foreach (var name in canary.Endpoints.Keys.Where(n => !_endpoints.ContainsKey(n)))
        {
            _unjudged.Add(name);
        }

        return Summarise();
    }

    private void ChooseEndpoints(TrafficSnapshot canary, TrafficSnapshot baseline)
    {
        var weights = _criteria.Weights;
        var names = new HashSet<string>(canary.Endpoints.Keys, StringComparer.Ordinal);
        names.UnionWith(baseline.Endpoints.Keys);
        names.UnionWith(weights.Endpoints);
        foreach (var name in names)
        {
            var weight = weights.Mode == EndpointWeightingMode.Equal
                ? (weights.IsListed(name) && weights[name] == 0 ? 0 : 1)
                : weights[name];
            if (weight > 0)
            {
                // Chosen before any error is counted, from the baseline's traffic alone: which test applies cannot depend on the evidence.
                var canaryOnly = _criteria.CanaryOnlyMaximumErrorRate is { } limit && baseline.Endpoints.GetValueOrDefault(name) is not { Requests: > 0 }
                    ? new AbsoluteErrorRateEvidence(limit, _criteria.MinimumRateRatio, _criteria.MaximumRateRatio)
                    : null;
                _endpoints.Add(name, new EndpointHistory(weight, new SequentialEvidence(Alternative.Greater, _criteria.MinimumRateRatio, _criteria.MaximumRateRatio), canaryOnly));
                _totalWeight += weight;
            }
        }
    }

    private CheckResult Summarise()
    {
        var alpha = _criteria.Alpha;
        var endpointShare = 1 - _criteria.ServiceWideShare;
        var rows = new List<EndpointResult>(_endpoints.Count);
        var shortOfData = new List<string>();
        var noBaseline = new List<string>();
        (string Name, EndpointHistory History, double Contribution)? top = null;
        foreach (var (name, history) in _endpoints.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            // The endpoint's part of the combined e-value, as a fraction of the boundary 1/α; it alone crosses at 1.
            var weight = history.Weight / _totalWeight;
            var contribution = endpointShare * weight * history.EValue * alpha;
            if (top is null || contribution > top.Value.Contribution)
            {
                top = (name, history, contribution);
            }

            // Once an endpoint alone has crossed, it stays marked, like the check's verdict.
            EndpointStatus status;
            if (endpointShare * weight * history.MaxEValue * alpha >= 1)
            {
                status = EndpointStatus.LimitBreached;
            }
            else if (history.BaselineRequests == 0)
            {
                // Nothing to compare with (a canary-only route, a baseline selector that matches nothing): never a Pass.
                status = EndpointStatus.Insufficient;
                noBaseline.Add($"{Format(name)} (canary errors {history.CanaryErrors}/{history.CanaryRequests})");
            }
            else if (history.CanaryRequests < _criteria.MinimumRequestsPerEndpoint)
            {
                status = EndpointStatus.Insufficient;
                shortOfData.Add($"{Format(name)} (n={history.CanaryRequests}, needs {_criteria.MinimumRequestsPerEndpoint.ToString("0.#", CultureInfo.InvariantCulture)})");
            }
            else
            {
                status = EndpointStatus.Judged;
            }

            rows.Add(new EndpointResult(name, status, history.CanaryRequests, history.CanaryRequests - history.CanaryErrors,
                history.CanarySuccessRate, weight, contribution, 1 / (endpointShare * weight * alpha), history.BaselineSuccessRate));
        }

        if (_endpoints.Count == 0)
        {
            return new CheckResult(CheckName, Verdict.Inconclusive, double.NaN, 1, "No evidence: no endpoint to judge.", rows);
        }

        var value = _maxCombined * alpha;
        var serviceWide = _criteria.ServiceWideShare * _serviceWide.EValue * alpha;
        var unjudged = _unjudged.Count > 0 ? $" ({_unjudged.Count} endpoint(s) seen after the first look are not judged)" : string.Empty;
        if (value >= 1)
        {
            return new CheckResult(CheckName, Verdict.Fail, value, 1, FailReason(top!.Value, serviceWide, value), rows);
        }

        if (_lookProblem is not null)
        {
            return new CheckResult(CheckName, Verdict.Inconclusive, value, 1, $"{_lookProblem}{unjudged}", rows);
        }

        if (noBaseline.Count > 0)
        {
            var more = noBaseline.Count > 3 ? $" and {noBaseline.Count - 3} more" : string.Empty;
            return new CheckResult(CheckName, Verdict.Inconclusive, value, 1,
                $"No baseline traffic to compare with (check the baseline selector {{{_baseline}}}): {string.Join(", ", noBaseline.Take(3))}{more}; such endpoints are never passed{unjudged}.", rows);
        }

        if (shortOfData.Count > 0)
        {
            var more = shortOfData.Count > 3 ? $" and {shortOfData.Count - 3} more" : string.Empty;
            return new CheckResult(CheckName, Verdict.Inconclusive, value, 1, $"No regression seen so far; not enough canary requests yet: {string.Join(", ", shortOfData.Take(3))}{more}{unjudged}.", rows);
        }

        if (_canarySeenAt != _lastLook || _baselineSeenAt != _lastLook)
        {
            var (version, lastSeen) = _canarySeenAt != _lastLook ? ("canary", _canarySeenAt) : ("baseline", _baselineSeenAt);
            return new CheckResult(CheckName, Verdict.Inconclusive, value, 1,
                $"No {version} data since {(lastSeen is { } seen ? Time(seen) : "the start")}: a Pass needs requests of both versions in the latest window{unjudged}.", rows);
        }

        var strongest = serviceWide > top!.Value.Contribution ? "the service-wide test" : Format(top.Value.Name);
        return new CheckResult(CheckName, Verdict.Pass, value, 1, string.Create(CultureInfo.InvariantCulture,
            $"No endpoint's error rate is above the baseline's: evidence at most {value:P0} of the boundary (strongest: {strongest}), over {_endpoints.Count} endpoint(s){unjudged}."), rows);
    }

    private string FailReason((string Name, EndpointHistory History, double Contribution) top, double serviceWide, double value)
    {
        var alpha = _criteria.Alpha;
        var total = string.Create(CultureInfo.InvariantCulture, $"combined evidence {value:G3} × the boundary 1/α = {1 / alpha:G3} (α {alpha:G2} over every look, always valid)");
        if (serviceWide >= top.Contribution)
        {
            long cr = 0, ce = 0, br = 0, be = 0;
            foreach (var h in _endpoints.Values)
            {
                (cr, ce, br, be) = (cr + h.CanaryRequests, ce + h.CanaryErrors, br + h.BaselineRequests, be + h.BaselineErrors);
            }

            return string.Create(CultureInfo.InvariantCulture,
                $"Service-wide: canary errors {ce}/{cr} ({Percent(ce, cr)}) vs baseline {be}/{br} ({Percent(be, br)}) over {_endpoints.Count} endpoint(s), each compared with its own baseline; {total}; the largest single endpoint share is {Format(top.Name)}'s.");
        }

        var endpoint = top.History;
        if (endpoint.CanaryOnly is { } canaryOnly)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{Format(top.Name)}: canary errors {endpoint.CanaryErrors}/{endpoint.CanaryRequests} ({Percent(endpoint.CanaryErrors, endpoint.CanaryRequests)}) with no baseline to compare with, above the canary-only limit {canaryOnly.Limit:0.###%}; {total}, {top.Contribution / value:P0} of it from this endpoint.");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{Format(top.Name)}: canary errors {endpoint.CanaryErrors}/{endpoint.CanaryRequests} ({Percent(endpoint.CanaryErrors, endpoint.CanaryRequests)}) vs baseline {endpoint.BaselineErrors}/{endpoint.BaselineRequests} ({Percent(endpoint.BaselineErrors, endpoint.BaselineRequests)}); {total}, {top.Contribution / value:P0} of it from this endpoint.");
    }

    /// <summary>Whole events of one endpoint in a window: absent is zero; NaN, infinite or beyond 2⁵³ is not valid.</summary>
    /// <remarks>Counts from increase() may be fractional; the test needs whole events.</remarks>
    private static bool TryWhole(EndpointTraffic? traffic, out long requests, out long errors)
    {
        (requests, errors) = (0, 0);
        if (traffic is null)
        {
            return true;
        }

        if (!traffic.HasValidCounts || !double.IsFinite(traffic.Failures))
        {
            return false;
        }

        requests = (long)Math.Round(traffic.Requests);
        errors = Math.Clamp((long)Math.Round(traffic.Failures), 0, requests);
        return true;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF 'UTC'", CultureInfo.InvariantCulture);

    private static string Percent(long errors, long requests) =>
        requests == 0 ? "no requests" : (errors / (double)requests).ToString("0.###%", CultureInfo.InvariantCulture);

    private static string Format(string endpoint) => endpoint.Length == 0 ? "(no endpoint label)" : endpoint;

    /// <summary>Cumulative counts of one endpoint at every look.</summary>
    private sealed class EndpointHistory(double weight, SequentialEvidence evidence, AbsoluteErrorRateEvidence? canaryOnly)
    {
        private const long MaximumExactCount = 1L << 53;

        public double Weight { get; } = weight;

        public SequentialEvidence Evidence { get; } = evidence;

        /// <summary>Gets the test against the absolute limit, for an endpoint without baseline traffic at the first look.</summary>
        public AbsoluteErrorRateEvidence? CanaryOnly { get; } = canaryOnly;

        /// <summary>Gets the endpoint's e-value: against the absolute limit when canary-only, else against the baseline.</summary>
        public double EValue => CanaryOnly?.EValue ?? Evidence.EValue;

        public double MaxEValue => CanaryOnly?.MaxEValue ?? Evidence.MaxEValue;

        public long CanaryRequests { get; private set; }

        public long CanaryErrors { get; private set; }

        public long BaselineRequests { get; private set; }

        public long BaselineErrors { get; private set; }

        public double CanarySuccessRate => CanaryRequests > 0 ? 1 - ((double)CanaryErrors / CanaryRequests) : double.NaN;

        public double BaselineSuccessRate => BaselineRequests > 0 ? 1 - ((double)BaselineErrors / BaselineRequests) : double.NaN;

        /// <summary>Whether adding these requests keeps every cumulative count exact (at most 2⁵³).</summary>
        public bool CanAdd(long canaryRequests, long baselineRequests) =>
            CanaryRequests + canaryRequests <= MaximumExactCount && BaselineRequests + baselineRequests <= MaximumExactCount;

        public void Add(long canaryRequests, long canaryErrors, long baselineRequests, long baselineErrors)
        {
            CanaryRequests += canaryRequests;
            CanaryErrors += canaryErrors;
            BaselineRequests += baselineRequests;
            BaselineErrors += baselineErrors;
            Evidence.Add(canaryErrors, canaryRequests, baselineErrors, baselineRequests);
            CanaryOnly?.Add(canaryErrors, canaryRequests);
        }
    }
}
