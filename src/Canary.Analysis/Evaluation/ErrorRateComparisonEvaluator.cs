using System.Globalization;
using Canary.Analysis.Evaluation.Internal;
using Canary.Analysis.Statistics;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// A fixed-sample comparison of the canary's error rate with the baseline's on every judged endpoint: a one-sided test that
/// the canary succeeds less often (Fisher's exact test, or the chi-squared proportion test), each endpoint at its weight's
/// share of α. For one look — a final verdict over a whole window; repeated at every look its false alarms add up (use the
/// sequential check to look often).
/// </summary>
/// <remarks>
/// <para>Fail as soon as one endpoint's p-value is at most its α share (α × its weight / the judged weight). Pass only when
/// every judged endpoint has at least <see cref="ErrorRateComparisonCriteria.MinimumRequestsPerEndpoint"/> canary requests,
/// baseline traffic, valid counts and no significant difference. Otherwise Inconclusive, naming the endpoints short of
/// data. A snapshot with gaps is Inconclusive naming them.</para>
/// <para>Rows: Value = the canary's success rate, BaselineValue = the baseline's, Contribution = the endpoint's one-sided
/// p-value (NaN when not tested), Limit = its α share. <see cref="CheckResult.Value"/> is the p-value of the endpoint
/// closest to its limit (smallest p / α share) and <see cref="CheckResult.Threshold"/> that endpoint's α share.</para>
/// </remarks>
public static class ErrorRateComparisonEvaluator
{
    /// <summary>The name of the checks this evaluator produces.</summary>
    public const string CheckName = "error-rate-comparison";

    /// <summary>Compares the canary's traffic with the baseline's.</summary>
    /// <param name="canary">The canary's traffic.</param>
    /// <param name="baseline">The baseline's traffic over the same window.</param>
    /// <param name="criteria">The criteria.</param>
    /// <returns>The verdict, the deciding p-value, a row per endpoint and a one-line reason.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The criteria are invalid.</exception>
    public static CheckResult Evaluate(TrafficSnapshot canary, TrafficSnapshot baseline, ErrorRateComparisonCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(criteria);
        criteria.Validate();

        var candidates = criteria.Weights.Resolve(canary)
            .Select(w => new Candidate(w.Endpoint, canary.Endpoints.GetValueOrDefault(w.Endpoint), w.Weight, w.IsExcluded))
            .ToList();
        var totalWeight = candidates.Sum(c => c.Weight);
        var tested = new List<Tested>();
        foreach (var candidate in candidates.Where(c => !c.Excluded).OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            tested.Add(Test(candidate, baseline.Endpoints.GetValueOrDefault(candidate.Name), criteria.Alpha * candidate.Weight / totalWeight, criteria));
        }

        var rows = tested.Select(t => t.Row(totalWeight)).Concat(candidates.Where(c => c.Excluded).Select(c =>
            new EndpointResult(c.Name, EndpointStatus.Excluded, c.Requests, c.Traffic?.Successes ?? 0, c.Traffic?.SuccessRate ?? double.NaN, 0, double.NaN, null))).ToList();
        var decided = Decide(tested, rows, criteria);
        var result = decided.WithEvidence(EvidenceKind.PValue, decided.Value, decided.Threshold, timeNeeded: null);
        var gaps = GapRules.Blocking(criteria.AllowPartialResponses, canary, baseline);
        return gaps.Count == 0 ? result : GapRules.Inconclusive(result, gaps);
    }

    private static Tested Test(Candidate candidate, EndpointTraffic? baseline, double alpha, ErrorRateComparisonCriteria criteria)
    {
        var canary = candidate.Traffic;
        if (!WholeCounts.TryRead(canary, out var cr, out var ce) || !WholeCounts.TryRead(baseline, out var br, out var be))
        {
            return new Tested(candidate, baseline, alpha, double.NaN, EndpointStatus.Insufficient, "counts not valid");
        }

        if (br == 0)
        {
            return new Tested(candidate, baseline, alpha, double.NaN, EndpointStatus.Insufficient, "no baseline traffic");
        }

        var enough = cr >= criteria.MinimumRequestsPerEndpoint;
        if (cr == 0 || (!enough && !criteria.Exact))
        {
            return new Tested(candidate, baseline, alpha, double.NaN, EndpointStatus.Insufficient, Invariant($"n={cr}, needs {criteria.MinimumRequestsPerEndpoint:0.#}"));
        }

        var (cs, bs) = (cr - ce, br - be);
        var p = criteria.Exact
            ? FisherExactTest.Test(cs, cr, bs, br, new ExactTestOptions { Alternative = Alternative.Less }).PValue
            : ProportionTest.TwoSample(cs, cr, bs, br, new ProportionTestOptions { Alternative = Alternative.Less }).PValue;
        var status = p <= alpha ? EndpointStatus.LimitBreached : enough ? EndpointStatus.Judged : EndpointStatus.Insufficient;
        return new Tested(candidate, baseline, alpha, p, status, enough ? null : Invariant($"n={cr}, needs {criteria.MinimumRequestsPerEndpoint:0.#}"));
    }

    private static CheckResult Decide(List<Tested> tested, List<EndpointResult> rows, ErrorRateComparisonCriteria criteria)
    {
        var method = criteria.Exact ? "Fisher's exact test" : "chi-squared test";
        var deciding = tested.Where(t => !double.IsNaN(t.P)).MinBy(t => t.P / t.Alpha);
        var (value, threshold) = deciding is null ? (double.NaN, criteria.Alpha) : (deciding.P, deciding.Alpha);
        if (tested.Count == 0)
        {
            return new CheckResult(CheckName, Verdict.Inconclusive, value, threshold, "No evidence: no endpoint to judge.", rows);
        }

        var split = tested.Count == 1 ? string.Empty : Invariant($" (α {criteria.Alpha:G3} split over {tested.Count} endpoints by weight)");
        if (deciding is { Status: EndpointStatus.LimitBreached })
        {
            var failing = tested.Count(t => t.Status == EndpointStatus.LimitBreached);
            var others = failing > 1 ? Invariant($"; {failing - 1} other endpoint(s) too") : string.Empty;
            return new CheckResult(CheckName, Verdict.Fail, value, threshold, Invariant(
                $"{deciding.Describe()}: one-sided {method} p = {deciding.P:G3} ≤ α {deciding.Alpha:G3}{split}{others}."), rows);
        }

        var shortOfData = tested.Where(t => t.Status == EndpointStatus.Insufficient).ToList();
        if (shortOfData.Count > 0)
        {
            var more = shortOfData.Count > 3 ? Invariant($" and {shortOfData.Count - 3} more") : string.Empty;
            return new CheckResult(CheckName, Verdict.Inconclusive, value, threshold,
                $"No significant regression so far; not enough evidence for {string.Join(", ", shortOfData.Take(3).Select(t => $"{Format.Endpoint(t.Candidate.Name)} ({t.Why})"))}{more}.", rows);
        }

        return new CheckResult(CheckName, Verdict.Pass, value, threshold, Invariant(
            $"No endpoint's error rate is significantly above the baseline's ({method}) over {tested.Count} endpoint(s); closest: {deciding!.Describe()}, p = {deciding.P:G3} > α {deciding.Alpha:G3}{split}."), rows);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private readonly record struct Candidate(string Name, EndpointTraffic? Traffic, double Weight, bool Excluded)
    {
        public double Requests => Traffic?.Requests ?? 0;
    }

    private sealed record Tested(Candidate Candidate, EndpointTraffic? Baseline, double Alpha, double P, EndpointStatus Status, string? Why)
    {
        public EndpointResult Row(double totalWeight) => new(Candidate.Name, Status, Candidate.Requests, Candidate.Traffic?.Successes ?? 0,
            Candidate.Traffic?.SuccessRate ?? double.NaN, Candidate.Weight / totalWeight, P, Alpha, Baseline?.SuccessRate ?? double.NaN);

        public string Describe()
        {
            var canary = Candidate.Traffic;
            return Invariant($"{Format.Endpoint(Candidate.Name)}: canary errors {Format.Count(canary?.Failures ?? 0)}/{Format.Count(Candidate.Requests)} ({Format.Percent(1 - (canary?.SuccessRate ?? double.NaN))}) vs baseline {Format.Count(Baseline?.Failures ?? 0)}/{Format.Count(Baseline?.Requests ?? 0)} ({Format.Percent(1 - (Baseline?.SuccessRate ?? double.NaN))})");
        }
    }
}
