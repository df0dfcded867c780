using System.Globalization;
using Canary.Analysis.Evaluation.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// Judges a version's per-endpoint latency (a quantile or the mean) against absolute limits and/or the
/// baseline's latency, combined with <see cref="EndpointWeights"/>: the check's value is the share of the judged
/// weight that is within its limits.
/// </summary>
/// <remarks>
/// <para>An endpoint without a latency histogram, with fewer than <see cref="LatencyCriteria.MinimumRequestsPerEndpoint"/>
/// requests, or (when compared) whose baseline lacks them, is insufficient: the check is Inconclusive naming it,
/// unless the breached weight alone already fails the check.</para>
/// <para>Latencies are in seconds; <see cref="EndpointResult.Value"/> is the canary's figure,
/// <see cref="EndpointResult.BaselineValue"/> the baseline's and <see cref="EndpointResult.Limit"/> the limit applied.</para>
/// <para>A snapshot with <see cref="TrafficSnapshot.Gaps"/> (the baseline's too, when compared) gives Inconclusive naming
/// the gaps, with what the data would have said in the reason; partial responses only when
/// <see cref="LatencyCriteria.AllowPartialResponses"/> accepts them.</para>
/// </remarks>
public static class LatencyEvaluator
{
    /// <summary>The name of the checks this evaluator produces.</summary>
    public const string CheckName = "latency";

    /// <summary>Evaluates a version's latency.</summary>
    /// <param name="canary">The version's traffic, read with latency (<see cref="TrafficQuery.IncludeLatency"/>).</param>
    /// <param name="criteria">The criteria.</param>
    /// <param name="baseline">The baseline's traffic, needed when <see cref="LatencyCriteria.MaximumIncrease"/> is set.</param>
    /// <returns>The verdict, the passing weight share, a row per endpoint and a one-line reason.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="canary"/> or <paramref name="criteria"/> is null.</exception>
    /// <exception cref="ArgumentException">The criteria are invalid, or compare with a baseline that was not given.</exception>
    public static CheckResult Evaluate(TrafficSnapshot canary, LatencyCriteria criteria, TrafficSnapshot? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(criteria);
        criteria.Validate();
        if (criteria.MaximumIncrease is not null && baseline is null)
        {
            throw new ArgumentException("LatencyCriteria.MaximumIncrease compares with the baseline: pass the baseline snapshot.", nameof(baseline));
        }

        var minimum = criteria.MinimumRequestsPerEndpoint;
        var label = criteria.Measure == LatencyMeasure.Mean ? "mean" : QuantileLabel(criteria.Quantile);
        var rows = new List<(EndpointResult Result, string? Why)>();
        double totalWeight = 0, passingWeight = 0, breachedWeight = 0;
        foreach (var candidate in criteria.Weights.Resolve(canary))
        {
            var traffic = canary.Endpoints.GetValueOrDefault(candidate.Endpoint);
            var requests = traffic?.Requests ?? 0;
            if (candidate.IsExcluded)
            {
                rows.Add((new EndpointResult(candidate.Endpoint, EndpointStatus.Excluded, requests, traffic?.Successes ?? 0, Measure(traffic, criteria), 0, double.NaN, null), null));
                continue;
            }

            totalWeight += candidate.Weight;
            var value = requests >= minimum && (traffic?.HasValidCounts ?? true) ? Measure(traffic, criteria) : double.NaN;
            var baselineTraffic = baseline?.Endpoints.GetValueOrDefault(candidate.Endpoint);
            var baselineValue = baselineTraffic is not null && baselineTraffic.Requests >= minimum && baselineTraffic.HasValidCounts
                ? Measure(baselineTraffic, criteria) : double.NaN;

            var absolute = criteria.AbsoluteLimitOf(candidate.Endpoint);
            double? relative = criteria.MaximumIncrease is { } increase && !double.IsNaN(baselineValue)
                ? (baselineValue * (1 + increase)) + criteria.Slack.TotalSeconds : null;
            double? limit = (absolute, relative) switch
            {
                ({ } a, { } r) => Math.Min(a, r),
                ({ } a, null) => a,
                (null, { } r) => r,
                _ => null,
            };

            EndpointStatus status;
            string? why = null;
            if (double.IsNaN(value))
            {
                status = EndpointStatus.Insufficient;
                why = traffic is { Latency: null, LatencySummary: null } && requests > 0
                    ? $"{Format.Endpoint(candidate.Endpoint)} (no latency histogram)"
                    : traffic is { Latency: null, LatencySummary: { } } && requests >= minimum
                    ? $"{Format.Endpoint(candidate.Endpoint)} (its summary has no {label})"
                    : $"{Format.Endpoint(candidate.Endpoint)} (n={Format.Count(requests)}, needs {Format.Count(minimum)})";
            }
            else if (limit is { } l && value > l)
            {
                status = EndpointStatus.LimitBreached;
            }
            else if (criteria.MaximumIncrease is not null && double.IsNaN(baselineValue))
            {
                // Within any absolute limit, but the comparison the criteria ask for cannot be made.
                status = EndpointStatus.Insufficient;
                why = $"{Format.Endpoint(candidate.Endpoint)} (baseline n={Format.Count(baselineTraffic?.Requests ?? 0)}, needs {Format.Count(minimum)})";
            }
            else
            {
                status = EndpointStatus.Judged;
            }

            if (status == EndpointStatus.Judged)
            {
                passingWeight += candidate.Weight;
            }
            else if (status == EndpointStatus.LimitBreached)
            {
                breachedWeight += candidate.Weight;
            }

            rows.Add((new EndpointResult(candidate.Endpoint, status, requests, traffic?.Successes ?? 0, value, candidate.Weight, double.NaN, limit, baselineValue), why));
        }

        var result = Decide(rows, totalWeight, passingWeight, breachedWeight, criteria, label);
        var gaps = GapRules.Blocking(criteria.AllowPartialResponses, canary, criteria.MaximumIncrease is null ? null : baseline);
        return gaps.Count == 0 ? result : GapRules.Inconclusive(result, gaps);
    }

    private static CheckResult Decide(List<(EndpointResult Result, string? Why)> rows, double totalWeight, double passingWeight, double breachedWeight, LatencyCriteria criteria, string label)
    {
        var threshold = criteria.MinimumPassingWeight;
        var results = rows
            .Select(r => Normalise(r.Result, totalWeight))
            .OrderBy(r => r.Status == EndpointStatus.Excluded)
            .ThenByDescending(r => r.Weight)
            .ThenBy(r => r.Endpoint, StringComparer.Ordinal)
            .ToList();
        var judged = results.Count(r => r.Status != EndpointStatus.Excluded);
        if (judged == 0 || totalWeight <= 0)
        {
            return new CheckResult(CheckName, Verdict.Inconclusive, double.NaN, threshold, "No evidence: no endpoint to judge.", results);
        }

        var breachedShare = breachedWeight / totalWeight;
        var breached = results.Where(r => r.Status == EndpointStatus.LimitBreached).ToList();
        if (breached.Count > 0 && 1 - breachedShare < threshold)
        {
            var worst = breached.OrderByDescending(r => r.Weight).ThenByDescending(r => r.Value / r.Limit!.Value).First();
            var baselineText = double.IsNaN(worst.BaselineValue) ? string.Empty : $", baseline {Format.Seconds(worst.BaselineValue)}";
            var others = breached.Count > 1 ? $"; {breached.Count - 1} more endpoint(s) over their limit" : string.Empty;
            return new CheckResult(CheckName, Verdict.Fail, passingWeight / totalWeight, threshold,
                $"{Format.Endpoint(worst.Endpoint)}: {label} {Format.Seconds(worst.Value)} > {Format.Seconds(worst.Limit!.Value)} limit (n={Format.Count(worst.Requests)}{baselineText}, weight {Format.Percent(worst.Weight)}){others}.", results);
        }

        var insufficient = rows.Where(r => r.Result.Status == EndpointStatus.Insufficient).Select(r => r.Why!).ToList();
        if (insufficient.Count > 0)
        {
            var more = insufficient.Count > 3 ? $" and {insufficient.Count - 3} more" : string.Empty;
            return new CheckResult(CheckName, Verdict.Inconclusive, double.NaN, threshold, $"Not enough evidence: {string.Join(", ", insufficient.Take(3))}{more}.", results);
        }

        var tolerated = breached.Count > 0 ? $"; {breached.Count} endpoint(s) over their limit carry {Format.Percent(breachedShare)} of the weight" : string.Empty;
        return new CheckResult(CheckName, Verdict.Pass, passingWeight / totalWeight, threshold,
            $"{char.ToUpperInvariant(label[0])}{label[1..]} latency within limits on {Format.Percent(passingWeight / totalWeight)} of the weight ({judged} endpoint(s)){tolerated}.", results);
    }

    /// <summary>Turns raw weights into shares; an endpoint contributes its share when within its limit, 0 when over it.</summary>
    private static EndpointResult Normalise(EndpointResult row, double totalWeight)
    {
        var share = totalWeight > 0 ? row.Weight / totalWeight : 0;
        var contribution = row.Status switch
        {
            EndpointStatus.Judged => share,
            EndpointStatus.LimitBreached => 0,
            _ => double.NaN,
        };
        return new(row.Endpoint, row.Status, row.Requests, row.Successes, row.Value, share, contribution, row.Limit, row.BaselineValue);
    }

    /// <summary>The endpoint's figure from its histogram, else from its summary (NaN for a quantile the client did not compute).</summary>
    private static double Measure(EndpointTraffic? traffic, LatencyCriteria criteria) => traffic switch
    {
        { Latency: { } histogram } => criteria.Measure == LatencyMeasure.Mean ? histogram.Mean : histogram.Quantile(criteria.Quantile),
        { LatencySummary: { } summary } => criteria.Measure == LatencyMeasure.Mean ? summary.Mean : summary.Quantile(criteria.Quantile),
        _ => double.NaN,
    };

    private static string QuantileLabel(double q) => "p" + (q * 100).ToString("0.###", CultureInfo.InvariantCulture);
}
