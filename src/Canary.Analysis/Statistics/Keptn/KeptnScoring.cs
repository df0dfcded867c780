using System.Globalization;

namespace Canary.Analysis.Statistics.Keptn;

/// <summary>
/// Keptn lighthouse's SLO quality gate (<c>evaluateObjectives</c>, <c>calculateScore</c>): objectives with pass and warning
/// criteria, absolute or relative to previous results, weights, key SLIs, and total pass/warning percentages.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Each objective with pass criteria adds its weight to the achievable score. Pass: score = weight; else warning: ½·weight;
/// else fail, 0. A missing (or NaN) value fails. Objectives without pass criteria are informational and not scored.</item>
/// <item>Relative criteria compare with the aggregate (avg, p50, p90, p95) of the same SLI in the latest 1
/// (<see cref="KeptnCompareWith.SingleResult"/>) or N previous evaluations, filtered by their result
/// (<see cref="KeptnSlo.IncludeResultWithScore"/>); evaluations where the SLI was not retrieved are skipped.</item>
/// <item>Result: pass when 100·achieved/achievable ≥ the pass percentage and no key SLI failed; else warning when a warning
/// percentage is set, no key SLI failed and the percentage reaches it; else fail. No objectives at all: fail.</item>
/// <item>Keptn's quirks (no history → relative criteria pass; a key SLI at warning does not fail the gate; nothing scored →
/// pass at 100) are reproduced by default and can be turned off in <see cref="KeptnScoringOptions"/>. Keptn's loose criteria
/// parsing and its "unknown aggregate function → 0" cannot be reproduced: criteria are parsed strictly and the aggregate is
/// an enum.</item>
/// </list>
/// </remarks>
public static class KeptnScoring
{
    /// <summary>Evaluates an SLO.</summary>
    /// <param name="slo">The SLO.</param>
    /// <param name="values">The SLI values of this evaluation; missing or NaN values fail their objectives.</param>
    /// <param name="history">Previous evaluations, oldest first; <see langword="null"/> for none.</param>
    /// <param name="options">Quirk options; <see langword="null"/> means Keptn's behaviour.</param>
    /// <returns>The result, the score and one row per objective.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="slo"/> or <paramref name="values"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An objective has a bad criterion, a negative or non-finite weight or an empty SLI name, or the SLO's percentages or comparison count are out of range; the message names the objective and the bad value.</exception>
    public static KeptnEvaluation Evaluate(
        KeptnSlo slo,
        IReadOnlyDictionary<string, double> values,
        IReadOnlyList<KeptnPreviousEvaluation>? history = null,
        KeptnScoringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(slo);
        ArgumentNullException.ThrowIfNull(values);
        history ??= [];
        options ??= new KeptnScoringOptions();
        Validate(slo);

        var parsed = slo.Objectives.Select(o => (Objective: o, Pass: ParseSets(slo, o, o.Pass, "pass"), Warning: ParseSets(slo, o, o.Warning, "warning"))).ToList();
        if (parsed.Count == 0)
        {
            return new KeptnEvaluation(KeptnResult.Fail, 0, false, [], "The SLO has no objectives");
        }

        List<KeptnPreviousEvaluation> previous = SelectHistory(slo, history);
        var results = new List<KeptnObjectiveResult>(parsed.Count);
        double achievable = 0;
        double achieved = 0;
        bool keyFailed = false;
        foreach ((KeptnObjective o, List<List<KeptnCriterion>> pass, List<List<KeptnCriterion>> warning) in parsed)
        {
            double weight = o.Weight == 0 ? 1 : o.Weight;
            double value = values.TryGetValue(o.Sli, out double v) ? v : double.NaN;
            double comparison = Aggregate(previous.Where(p => p.Values.ContainsKey(o.Sli)).Select(p => p.Values[o.Sli]).ToList(), slo.AggregateFunction);
            if (pass.Count == 0)
            {
                results.Add(new KeptnObjectiveResult(o.Sli, KeptnObjectiveStatus.Info, 0, weight, o.KeySli, value, comparison, "Informational: no pass criteria"));
                continue;
            }

            achievable += weight;
            KeptnObjectiveStatus status;
            string reason;
            if (double.IsNaN(value))
            {
                status = KeptnObjectiveStatus.Fail;
                reason = $"No value for SLI '{o.Sli}'";
            }
            else if (Met(pass, value, comparison, options))
            {
                status = KeptnObjectiveStatus.Pass;
                reason = string.Format(CultureInfo.InvariantCulture, "{0} = {1:G6} meets the pass criteria", o.Sli, value);
            }
            else if (warning.Count > 0 && Met(warning, value, comparison, options))
            {
                status = KeptnObjectiveStatus.Warning;
                reason = string.Format(CultureInfo.InvariantCulture, "{0} = {1:G6} meets the warning criteria only", o.Sli, value);
            }
            else
            {
                status = KeptnObjectiveStatus.Fail;
                reason = string.Format(CultureInfo.InvariantCulture, "{0} = {1:G6} meets neither the pass nor the warning criteria", o.Sli, value);
            }

            double score = status switch
            {
                KeptnObjectiveStatus.Pass => weight,
                KeptnObjectiveStatus.Warning => 0.5 * weight,
                _ => 0,
            };
            achieved += score;
            if (o.KeySli && (status == KeptnObjectiveStatus.Fail || (options.KeySliWarningFails && status == KeptnObjectiveStatus.Warning)))
            {
                keyFailed = true;
            }

            results.Add(new KeptnObjectiveResult(o.Sli, status, score, weight, o.KeySli, value, comparison, reason));
        }

        if (achievable == 0)
        {
            return options.PassWithoutScoredObjectives
                ? new KeptnEvaluation(KeptnResult.Pass, 100, false, results, "No objective has pass criteria: pass (as Keptn)")
                : new KeptnEvaluation(KeptnResult.Fail, 0, false, results, "No objective has pass criteria: nothing was checked");
        }

        double percent = 100.0 * (achieved / achievable);
        string summary = string.Format(CultureInfo.InvariantCulture, "score {0:0.##} % (pass ≥ {1:0.##} %, warning ≥ {2})", percent, slo.TotalPassPercent, slo.TotalWarningPercent is double w ? w.ToString("0.##", CultureInfo.InvariantCulture) + " %" : "none");
        if (keyFailed)
        {
            string key = string.Join(", ", results.Where(r => r.KeySli && r.Status != KeptnObjectiveStatus.Pass && r.Status != KeptnObjectiveStatus.Info).Select(r => r.Sli));
            return new KeptnEvaluation(KeptnResult.Fail, percent, true, results, $"Evaluation failed due to key_sli objective {key}; {summary}");
        }

        if (percent >= slo.TotalPassPercent)
        {
            return new KeptnEvaluation(KeptnResult.Pass, percent, false, results, "Pass: " + summary);
        }

        if (slo.TotalWarningPercent is double warn && percent >= warn)
        {
            return new KeptnEvaluation(KeptnResult.Warning, percent, false, results, "Warning: " + summary);
        }

        return new KeptnEvaluation(KeptnResult.Fail, percent, false, results, "Fail: " + summary);
    }

    private static bool Met(List<List<KeptnCriterion>> sets, double value, double comparison, KeptnScoringOptions options) =>
        sets.Any(set => set.All(c => c.IsMet(value, comparison, options.ComparisonPassesWithoutHistory, out _)));

    private static List<KeptnPreviousEvaluation> SelectHistory(KeptnSlo slo, IReadOnlyList<KeptnPreviousEvaluation> history)
    {
        int n = slo.CompareWith == KeptnCompareWith.SingleResult ? 1 : slo.NumberOfComparisonResults;
        var kept = history.Where(h => h is not null && slo.IncludeResultWithScore switch
        {
            KeptnIncludeResults.Pass => h.Result == KeptnResult.Pass,
            KeptnIncludeResults.PassOrWarn => h.Result is KeptnResult.Pass or KeptnResult.Warning,
            _ => true,
        }).ToList();
        return kept.Skip(Math.Max(0, kept.Count - n)).ToList();
    }

    /// <summary>Keptn's <c>aggregateValues</c>: the mean, or a percentile at position p·(n + 1) with linear interpolation; NaN for no values.</summary>
    internal static double Aggregate(IReadOnlyList<double> values, KeptnAggregateFunction function)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        if (function == KeptnAggregateFunction.Avg)
        {
            return values.Average();
        }

        double p = function switch
        {
            KeptnAggregateFunction.P50 => 0.5,
            KeptnAggregateFunction.P90 => 0.9,
            _ => 0.95,
        };
        double[] sorted = values.Order().ToArray();
        double pos = p * (sorted.Length + 1);
        if (pos < 1)
        {
            return sorted[0];
        }

        if (pos >= sorted.Length)
        {
            return sorted[^1];
        }

        int lower = (int)Math.Floor(pos);
        return sorted[lower - 1] + ((pos - lower) * (sorted[lower] - sorted[lower - 1]));
    }

    private static List<List<KeptnCriterion>> ParseSets(KeptnSlo slo, KeptnObjective objective, IReadOnlyList<IReadOnlyList<string>>? sets, string kind)
    {
        _ = slo;
        var result = new List<List<KeptnCriterion>>();
        if (sets is null)
        {
            return result;
        }

        foreach (IReadOnlyList<string>? set in sets)
        {
            var parsed = new List<KeptnCriterion>();
            foreach (string? text in set ?? [])
            {
                try
                {
                    parsed.Add(KeptnCriterion.Parse(text ?? string.Empty));
                }
                catch (FormatException e)
                {
                    throw new ArgumentException($"Objective '{objective.Sli}': {kind} criterion '{text}' is not valid. {e.Message}", nameof(slo), e);
                }
            }

            if (parsed.Count > 0)
            {
                result.Add(parsed);
            }
        }

        return result;
    }

    private static void Validate(KeptnSlo slo)
    {
        if (slo.Objectives is null)
        {
            throw new ArgumentException("KeptnSlo.Objectives must not be null.", nameof(slo));
        }

        foreach (KeptnObjective o in slo.Objectives)
        {
            if (o is null || string.IsNullOrWhiteSpace(o.Sli))
            {
                throw new ArgumentException("Every objective needs an SLI name (Sli); one is empty.", nameof(slo));
            }

            if (!(double.IsFinite(o.Weight) && o.Weight >= 0))
            {
                throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "Objective '{0}': Weight must be finite and ≥ 0; it is {1}.", o.Sli, o.Weight), nameof(slo));
            }
        }

        if (!(slo.TotalPassPercent >= 0 && slo.TotalPassPercent <= 100))
        {
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "KeptnSlo.TotalPassPercent must be in [0, 100]; it is {0}.", slo.TotalPassPercent), nameof(slo));
        }

        if (slo.TotalWarningPercent is double w && !(w >= 0 && w <= 100))
        {
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "KeptnSlo.TotalWarningPercent must be in [0, 100]; it is {0}.", w), nameof(slo));
        }

        if (slo.NumberOfComparisonResults < 1)
        {
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "KeptnSlo.NumberOfComparisonResults must be ≥ 1; it is {0}.", slo.NumberOfComparisonResults), nameof(slo));
        }
    }
}
