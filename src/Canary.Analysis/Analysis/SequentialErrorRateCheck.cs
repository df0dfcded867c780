using System.Globalization;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Statistics;
using Canary.Analysis.Statistics.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Analysis;

/// <summary>
/// A fail-fast check that may look every interval without raising false alarms: per endpoint, an always-valid
/// sequential test (<see cref="SequentialProportionTest"/>, exact on counts) of "the canary's error rate is no higher
/// than the baseline's", with α split among endpoints by weight. It fails as soon as one endpoint's evidence crosses
/// its boundary, passes only once every judged endpoint has enough canary requests, and is Inconclusive otherwise,
/// naming the endpoints still short of data.
/// </summary>
/// <remarks>
/// <para>Each measurement reads the canary and the baseline over the time since the previous measurement (the first
/// one over <c>firstWindow</c>) and adds the counts to the check's history, so one instance belongs to one analysis
/// run; the history is in memory and starts again after a process restart (which only makes the test more cautious).</para>
/// <para>The judged endpoints are fixed at the first measurement (those listed with a positive weight, plus those seen
/// then when unlisted endpoints get weight), so α's split cannot drift; endpoints appearing later are reported, not judged.
/// The probability that a healthy canary ever fails this check is at most α, whatever the number of looks.</para>
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
    private DateTimeOffset? _lastLook;
    private double _totalWeight;

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
    }

    /// <inheritdoc />
    public async Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var window = _lastLook is { } last ? now - last : _firstWindow;
        if (window <= TimeSpan.Zero)
        {
            return Summarise();
        }

        var canaryTask = _source.ReadAsync(new TrafficQuery(_canary, now, window), cancellationToken);
        var baselineTask = _source.ReadAsync(new TrafficQuery(_baseline, now, window), cancellationToken);
        var canary = await canaryTask.ConfigureAwait(false);
        var baseline = await baselineTask.ConfigureAwait(false);
        if (_lastLook is null)
        {
            ChooseEndpoints(canary, baseline);
        }

        _lastLook = now;
        foreach (var (name, history) in _endpoints)
        {
            history.Add(canary.Endpoints.GetValueOrDefault(name), baseline.Endpoints.GetValueOrDefault(name));
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
                _endpoints.Add(name, new EndpointHistory(weight, new SequentialEvidence(Alternative.Greater, _criteria.MinimumRateRatio, _criteria.MaximumRateRatio)));
                _totalWeight += weight;
            }
        }
    }

    private CheckResult Summarise()
    {
        var rows = new List<EndpointResult>(_endpoints.Count);
        (string Name, EndpointHistory History, double Alpha)? worst = null;
        var crossed = new List<(string Name, EndpointHistory History, double Alpha)>();
        var shortOfData = new List<string>();
        foreach (var (name, history) in _endpoints.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var alpha = _criteria.Alpha * history.Weight / _totalWeight;
            var evidence = history.Evidence.MaxEValue * alpha;
            if (worst is null || evidence > worst.Value.History.Evidence.MaxEValue * worst.Value.Alpha)
            {
                worst = (name, history, alpha);
            }

            EndpointStatus status;
            if (evidence >= 1)
            {
                status = EndpointStatus.LimitBreached;
                crossed.Add((name, history, alpha));
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
                history.CanarySuccessRate, history.Weight / _totalWeight, evidence, 1 / alpha, history.BaselineSuccessRate));
        }

        var value = worst is null ? double.NaN : worst.Value.History.Evidence.MaxEValue * worst.Value.Alpha;
        var unjudged = _unjudged.Count > 0 ? $" ({_unjudged.Count} endpoint(s) seen after the first look are not judged)" : string.Empty;
        if (_endpoints.Count == 0)
        {
            return new CheckResult(CheckName, Verdict.Inconclusive, double.NaN, 1, "No evidence: no endpoint to judge.", rows);
        }

        if (crossed.Count > 0)
        {
            var c = crossed.OrderByDescending(x => x.History.Evidence.MaxEValue * x.Alpha).First();
            return new CheckResult(CheckName, Verdict.Fail, value, 1, string.Create(CultureInfo.InvariantCulture,
                $"{Format(c.Name)}: canary errors {c.History.CanaryErrors}/{c.History.CanaryRequests} vs baseline {c.History.BaselineErrors}/{c.History.BaselineRequests}; evidence {c.History.Evidence.MaxEValue:G3} ≥ {1 / c.Alpha:G3} (α {c.Alpha:G2} of {_criteria.Alpha:G2}, always valid){(crossed.Count > 1 ? $"; {crossed.Count - 1} more endpoint(s) crossed" : string.Empty)}."), rows);
        }

        if (shortOfData.Count > 0)
        {
            var more = shortOfData.Count > 3 ? $" and {shortOfData.Count - 3} more" : string.Empty;
            return new CheckResult(CheckName, Verdict.Inconclusive, value, 1, $"No regression seen so far; not enough canary requests yet: {string.Join(", ", shortOfData.Take(3))}{more}{unjudged}.", rows);
        }

        return new CheckResult(CheckName, Verdict.Pass, value, 1, string.Create(CultureInfo.InvariantCulture,
            $"No endpoint's error rate is above the baseline's: strongest evidence {value:P0} of the boundary at {Format(worst!.Value.Name)}, over {_endpoints.Count} endpoint(s){unjudged}."), rows);
    }

    private static string Format(string endpoint) => endpoint.Length == 0 ? "(no endpoint label)" : endpoint;

    /// <summary>Cumulative counts of one endpoint at every look.</summary>
    private sealed class EndpointHistory(double weight, SequentialEvidence evidence)
    {
        public double Weight { get; } = weight;

        public SequentialEvidence Evidence { get; } = evidence;

        public long CanaryRequests { get; private set; }

        public long CanaryErrors { get; private set; }

        public long BaselineRequests { get; private set; }

        public long BaselineErrors { get; private set; }

        public double CanarySuccessRate => CanaryRequests > 0 ? 1 - ((double)CanaryErrors / CanaryRequests) : double.NaN;

        public double BaselineSuccessRate => BaselineRequests > 0 ? 1 - ((double)BaselineErrors / BaselineRequests) : double.NaN;

        public void Add(EndpointTraffic? canary, EndpointTraffic? baseline)
        {
            // Counts from increase() may be fractional; the test needs whole events. Invalid counts add nothing.
            var (cr, ce) = Whole(canary);
            var (br, be) = Whole(baseline);
            CanaryRequests += cr;
            CanaryErrors += ce;
            BaselineRequests += br;
            BaselineErrors += be;
            Evidence.Add(ce, cr, be, br);
        }

        private static (long Requests, long Errors) Whole(EndpointTraffic? traffic)
        {
            if (traffic is null || !traffic.HasValidCounts)
            {
                return (0, 0);
            }

            var requests = (long)Math.Round(traffic.Requests);
            var errors = Math.Min(requests, (long)Math.Round(traffic.Failures));
            return (requests, errors);
        }
    }
}
