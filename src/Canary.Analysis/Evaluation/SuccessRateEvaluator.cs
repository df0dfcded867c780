using Canary.Analysis.Evaluation.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// Judges a version's success rate as a weighted sum of per-endpoint success rates,
/// <c>Σ wᵢ · rateᵢ / Σ wᵢ</c> over the judged endpoints, so a rare endpoint counts as much as its weight says
/// rather than as much as its traffic.
/// </summary>
/// <remarks>
/// <para>A snapshot with <see cref="TrafficSnapshot.Gaps"/> gives Inconclusive naming the gaps, with what the data would
/// have said in the reason (partial responses only when <see cref="SuccessRateCriteria.AllowPartialResponses"/> accepts them).</para>
/// <para>Never passes on missing evidence. A judged endpoint with fewer than
/// <see cref="SuccessRateCriteria.MinimumRequestsPerEndpoint"/> requests (or invalid counts) is insufficient:
/// the check is then Inconclusive, naming the endpoints, unless it fails whatever their rates are (the
/// weighted rate stays below the threshold even if every insufficient endpoint were perfect) or a sufficient
/// endpoint is below its own floor.</para>
/// <para>An endpoint listed with a positive weight but absent from the snapshot has 0 requests, so it is insufficient.</para>
/// </remarks>
public static class SuccessRateEvaluator
{
    /// <summary>The name of the checks this evaluator produces.</summary>
    public const string CheckName = "success-rate";

    /// <summary>Evaluates a version's traffic against the criteria.</summary>
    /// <param name="canary">The version's traffic (usually the canary's).</param>
    /// <param name="criteria">The criteria.</param>
    /// <returns>The verdict, the weighted rate, a row per endpoint and a one-line reason.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The criteria are invalid; the message names the setting and its value.</exception>
    public static CheckResult Evaluate(TrafficSnapshot canary, SuccessRateCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(criteria);
        criteria.Validate();

        var weights = criteria.Weights;
        var byTraffic = weights.Mode == EndpointWeightingMode.TrafficWeighted;
        var minimum = criteria.MinimumRequestsPerEndpoint;

        var rows = new List<Row>();
        double totalWeight = 0;
        foreach (var candidate in weights.Resolve(canary))
        {
            var traffic = canary.Endpoints.GetValueOrDefault(candidate.Endpoint);
            var requests = traffic?.Requests ?? 0;
            var successes = traffic?.Successes ?? 0;
            var valid = traffic?.HasValidCounts ?? true;
            var status = candidate.IsExcluded ? EndpointStatus.Excluded
                : !valid || (byTraffic ? candidate.Weight <= 0 : requests < minimum) ? EndpointStatus.Insufficient
                : EndpointStatus.Judged;

            var rate = valid && requests > 0 ? successes / requests : double.NaN;
            var floor = candidate.IsExcluded ? null : criteria.FloorOf(candidate.Endpoint);
            if (status == EndpointStatus.Judged && requests >= minimum && floor is { } f && rate < f)
            {
                status = EndpointStatus.LimitBreached;
            }

            totalWeight += candidate.Weight;
            rows.Add(new Row(candidate.Endpoint, status, requests, successes, rate, candidate.Weight, floor));
        }

        var result = Decide(rows, totalWeight, criteria, byTraffic, canary);
        var gaps = GapRules.Blocking(canary, criteria.AllowPartialResponses);
        return gaps.Count == 0 ? result : GapRules.Inconclusive(result, gaps);
    }

    private static CheckResult Decide(List<Row> rows, double totalWeight, SuccessRateCriteria criteria, bool byTraffic, TrafficSnapshot canary)
    {
        var threshold = criteria.MinimumSuccessRate;
        var judged = rows.Where(r => r.Status != EndpointStatus.Excluded).ToList();
        var insufficient = judged.Where(r => r.Status == EndpointStatus.Insufficient).ToList();
        var belowFloor = judged.Where(r => r.Status == EndpointStatus.LimitBreached).ToList();

        // Weighted sums over endpoints whose rate counts, and the weight whose rate is unknown.
        double known = 0, unknownWeight = 0;
        foreach (var row in judged)
        {
            if (row.Status == EndpointStatus.Insufficient)
            {
                unknownWeight += row.Weight;
            }
            else
            {
                known += row.Weight * row.Rate;
            }
        }

        var results = BuildRows(rows, totalWeight);
        if (judged.Count == 0)
        {
            var why = rows.Count == 0
                ? "no traffic and no expected endpoint"
                : $"the weights judge none of the {rows.Count} endpoints seen";
            return new CheckResult(CheckName, Verdict.Inconclusive, double.NaN, threshold, $"No evidence: {why}.", results);
        }

        if (belowFloor.Count > 0)
        {
            var worst = belowFloor.OrderBy(r => r.Rate - (r.Floor ?? 0)).First();
            var others = belowFloor.Count > 1 ? $" and {belowFloor.Count - 1} more endpoint(s) below their floor" : string.Empty;
            var value = insufficient.Count == 0 && totalWeight > 0 ? known / totalWeight : double.NaN;
            return new CheckResult(CheckName, Verdict.Fail, value, threshold,
                $"{Format.Endpoint(worst.Name)}: {Format.Percent(worst.Rate)} < {Format.Percent(worst.Floor ?? 0)} endpoint floor (n={Format.Count(worst.Requests)}){others}.", results);
        }

        if (byTraffic)
        {
            if (insufficient.Count > 0 || !double.IsFinite(canary.TotalRequests) || totalWeight < criteria.MinimumRequestsPerEndpoint)
            {
                var why = insufficient.Count > 0
                    ? $"{Names(insufficient)} {(insufficient.Count == 1 ? "has" : "have")} no usable data"
                    : $"{Format.Count(totalWeight)} requests in all, fewer than the {Format.Count(criteria.MinimumRequestsPerEndpoint)} required";
                return new CheckResult(CheckName, Verdict.Inconclusive, double.NaN, threshold, $"Not enough evidence: {why}.", results);
            }

            var aggregate = known / totalWeight;
            return Compare(aggregate, threshold, "traffic-weighted success rate", judged.Count, totalWeight, results);
        }

        if (insufficient.Count > 0)
        {
            // Even if every insufficient endpoint were perfect, would the weighted rate still be too low?
            var best = (known + unknownWeight) / totalWeight;
            var needs = string.Join(", ", insufficient.Take(3).Select(r =>
                $"{Format.Endpoint(r.Name)} (n={Format.Count(r.Requests)}, needs {Format.Count(criteria.MinimumRequestsPerEndpoint)})"));
            var more = insufficient.Count > 3 ? $" and {insufficient.Count - 3} more" : string.Empty;
            if (best < threshold)
            {
                return new CheckResult(CheckName, Verdict.Fail, double.NaN, threshold,
                    $"Weighted success rate is at most {Format.Percent(best)} < {Format.Percent(threshold)} even if {needs}{more} were perfect.", results);
            }

            return new CheckResult(CheckName, Verdict.Inconclusive, double.NaN, threshold,
                $"Not enough evidence: {needs}{more}.", results);
        }

        return Compare(known / totalWeight, threshold, "weighted success rate", judged.Count, null, results);
    }

    private static CheckResult Compare(double value, double threshold, string what, int endpoints, double? requests, IReadOnlyList<EndpointResult> results)
    {
        var over = requests is { } n ? $" over {endpoints} endpoint(s), n={Format.Count(n)}" : $" over {endpoints} endpoint(s)";
        if (value >= threshold)
        {
            return new CheckResult(CheckName, Verdict.Pass, value, threshold, $"{Capitalise(what)} {Format.Percent(value)} ≥ {Format.Percent(threshold)}{over}.", results);
        }

        var worst = results.Where(r => r.Status == EndpointStatus.Judged && !double.IsNaN(r.Value))
            .OrderByDescending(r => r.Weight * (1 - r.Value)).FirstOrDefault();
        var worstText = worst is null ? string.Empty
            : $"; most lost on {Format.Endpoint(worst.Endpoint)}: {Format.Percent(worst.Value)} (n={Format.Count(worst.Requests)}, weight {Format.Percent(worst.Weight)})";
        return new CheckResult(CheckName, Verdict.Fail, value, threshold, $"{Capitalise(what)} {Format.Percent(value)} < {Format.Percent(threshold)}{over}{worstText}.", results);
    }

    private static List<EndpointResult> BuildRows(List<Row> rows, double totalWeight)
    {
        var results = new List<EndpointResult>(rows.Count);
        foreach (var row in rows
                     .OrderBy(r => r.Status == EndpointStatus.Excluded)
                     .ThenByDescending(r => r.Status == EndpointStatus.Excluded ? r.Requests : r.Weight)
                     .ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            var share = row.Status == EndpointStatus.Excluded || totalWeight <= 0 ? 0 : row.Weight / totalWeight;
            var contribution = row.Status is EndpointStatus.Excluded or EndpointStatus.Insufficient ? double.NaN : share * row.Rate;
            results.Add(new EndpointResult(row.Name, row.Status, row.Requests, row.Successes, row.Rate, share, contribution, row.Floor));
        }

        return results;
    }

    private static string Names(List<Row> rows) => string.Join(", ", rows.Take(3).Select(r => Format.Endpoint(r.Name))) + (rows.Count > 3 ? $" and {rows.Count - 3} more" : string.Empty);

    private static string Capitalise(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private sealed record Row(string Name, EndpointStatus Status, double Requests, double Successes, double Rate, double Weight, double? Floor);
}
