using System.Globalization;
using Canary.Analysis.Statistics.Keptn;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// Judges indicator values against a Keptn SLO with Keptn's scoring (<see cref="KeptnScoring"/>), and turns the result into a
/// verdict that never passes on missing evidence.
/// </summary>
/// <remarks>
/// <para>Verdicts: Keptn's pass is a Pass, its fail a Fail, its warning Inconclusive (not evidence that the canary is good,
/// nor that it is bad).</para>
/// <para>Fail-safe (not in Keptn): an objective with pass criteria has no evidence when its value is missing, NaN or infinite
/// (Keptn fails the objective, so a missing minor indicator can still pass the gate), or when it has a relative criterion and
/// there is nothing to compare with (Keptn passes it). With such objectives the check is a Fail only when it fails whatever
/// they would show — a key indicator with a value failed, or the score with every such objective counted as a pass is still
/// below the warning (or pass) target — and Inconclusive otherwise, naming them. An SLO that scores nothing is Inconclusive
/// (Keptn passes it at 100).</para>
/// <para>Rows: one per objective (<see cref="EndpointResult.Endpoint"/> is the SLI): Value = the indicator's value,
/// BaselineValue = what relative criteria compared with, Weight and Contribution = the objective's share of the achievable score
/// and of the achieved one; Excluded for informational objectives, LimitBreached for warning and fail, Insufficient without
/// evidence. <see cref="CheckResult.Value"/> is Keptn's score in percent, <see cref="CheckResult.Threshold"/> the pass target.</para>
/// </remarks>
public static class KeptnEvaluator
{
    /// <summary>The name of the checks this evaluator produces.</summary>
    public const string CheckName = "keptn";

    /// <summary>Scores the indicator values.</summary>
    /// <param name="values">The canary's indicator values by SLI name; missing, NaN or infinite values are no evidence.</param>
    /// <param name="criteria">The SLO, the options and the history.</param>
    /// <param name="baseline">The baseline's indicator values, compared with by relative criteria as the latest previous evaluation; null for none.</param>
    /// <returns>The verdict, the score, a row per objective and a one-line reason.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or <paramref name="criteria"/> is null.</exception>
    /// <exception cref="ArgumentException">The criteria are not valid.</exception>
    public static CheckResult Evaluate(IReadOnlyDictionary<string, double> values, KeptnCriteria criteria, IReadOnlyDictionary<string, double>? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(criteria);
        criteria.Validate();
        var slo = criteria.Slo;
        var history = criteria.History.ToList();
        if (baseline is not null)
        {
            history.Add(new KeptnPreviousEvaluation(KeptnResult.Pass, Finite(baseline)));
        }

        var evaluation = KeptnScoring.Evaluate(slo, Finite(values), history, criteria.Options);
        var objectives = evaluation.Objectives;
        var scored = Enumerable.Range(0, objectives.Count).Where(i => objectives[i].Status != KeptnObjectiveStatus.Info).ToList();
        var missing = scored.Where(i => !double.IsFinite(objectives[i].Value) || (IsRelative(slo.Objectives[i]) && double.IsNaN(objectives[i].ComparisonValue))).ToList();
        var achievable = scored.Sum(i => objectives[i].Weight);
        var rows = objectives.Select((o, i) => Row(o, missing.Contains(i), achievable)).ToList();
        var threshold = slo.TotalPassPercent;
        if (scored.Count == 0)
        {
            return new CheckResult(CheckName, Verdict.Inconclusive, double.NaN, threshold, "No objective has pass criteria: nothing was checked.", rows);
        }

        var notPassing = Describe(scored.Where(i => !missing.Contains(i) && objectives[i].Status != KeptnObjectiveStatus.Pass).Select(i => objectives[i]));
        if (missing.Count == 0)
        {
            var verdict = evaluation.Result switch
            {
                KeptnResult.Pass => Verdict.Pass,
                KeptnResult.Fail => Verdict.Fail,
                _ => Verdict.Inconclusive,
            };
            var reason = notPassing.Length == 0 ? $"{evaluation.Reason}." : $"{evaluation.Reason}: {notPassing}.";
            return new CheckResult(CheckName, verdict, evaluation.ScorePercent, threshold, reason, rows);
        }

        // The best the objectives without evidence could do: pass. A Fail then holds whatever they would show.
        var options = criteria.Options;
        var keyFailed = scored.Where(i => !missing.Contains(i)).Select(i => objectives[i])
            .Any(o => o.KeySli && (o.Status == KeptnObjectiveStatus.Fail || (options.KeySliWarningFails && o.Status == KeptnObjectiveStatus.Warning)));
        var best = 100.0 * (scored.Where(i => !missing.Contains(i)).Sum(i => objectives[i].Score) + missing.Sum(i => objectives[i].Weight)) / achievable;
        var bestFails = keyFailed || (best < slo.TotalPassPercent && !(slo.TotalWarningPercent is { } warning && best >= warning));
        var noEvidence = string.Join(", ", missing.Select(i => NoEvidence(objectives[i])));
        if (bestFails)
        {
            var why = keyFailed ? "a key SLI failed" : string.Create(CultureInfo.InvariantCulture, $"best case: score {best:0.##} % below the targets");
            return new CheckResult(CheckName, Verdict.Fail, evaluation.ScorePercent, threshold, $"Fails whatever the objectives without evidence would show ({why}): {notPassing}; without evidence: {noEvidence}.", rows);
        }

        return new CheckResult(CheckName, Verdict.Inconclusive, evaluation.ScorePercent, threshold, $"Not enough evidence: {noEvidence}; {scored.Count - missing.Count} of {scored.Count} objective(s) judged (Keptn: {evaluation.Reason}).", rows);
    }

    private static Dictionary<string, double> Finite(IReadOnlyDictionary<string, double> values) =>
        values.Where(v => double.IsFinite(v.Value)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);

    private static bool IsRelative(KeptnObjective objective) =>
        objective.Pass.Concat(objective.Warning).SelectMany(set => set ?? []).Any(text => KeptnCriterion.Parse(text ?? string.Empty).IsComparison);

    private static string NoEvidence(KeptnObjectiveResult o) => !double.IsFinite(o.Value)
        ? $"{o.Sli} (no value)"
        : string.Create(CultureInfo.InvariantCulture, $"{o.Sli} = {o.Value:G6} (nothing to compare with)");

    private static string Describe(IEnumerable<KeptnObjectiveResult> objectives)
    {
        var list = objectives.ToList();
        var more = list.Count > 3 ? string.Create(CultureInfo.InvariantCulture, $" and {list.Count - 3} more") : string.Empty;
        return string.Join("; ", list.Take(3).Select(o => $"{o.Sli} {o.Status}{(o.KeySli ? " (key)" : string.Empty)}: {o.Reason}")) + more;
    }

    private static EndpointResult Row(KeptnObjectiveResult o, bool missing, double achievable)
    {
        var status = o.Status == KeptnObjectiveStatus.Info ? EndpointStatus.Excluded
            : missing ? EndpointStatus.Insufficient
            : o.Status == KeptnObjectiveStatus.Pass ? EndpointStatus.Judged
            : EndpointStatus.LimitBreached;
        var scored = o.Status != KeptnObjectiveStatus.Info && achievable > 0;
        return new EndpointResult(o.Sli, status, double.NaN, double.NaN, o.Value, scored ? o.Weight / achievable : 0, scored ? o.Score / achievable : 0, null, o.ComparisonValue);
    }
}
