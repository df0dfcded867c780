using System.Globalization;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// Judges a query's result as Argo Rollouts judges its metrics, but typed: the result's values are reduced to one number
/// (<see cref="QueryCriteria.Reducer"/>) and compared with <see cref="QueryCriteria.PassWhen"/> and/or <see cref="QueryCriteria.FailWhen"/>.
/// </summary>
/// <remarks>
/// Decision table (Argo's, made safe): a met fail condition fails (even if the pass condition is met too); a met pass
/// condition passes; with only a pass condition, not meeting it fails; with both set and neither met, Inconclusive. Unlike
/// Argo, an empty result, NaN or an ambiguous multi-series result is Inconclusive with the reason (Argo: Error, or Failed for
/// NaN with only a success condition). A response with server warnings (a Thanos or Mimir partial response, …) is
/// Inconclusive with the warnings and what the value would have given, unless <see cref="QueryCriteria.AllowPartialResponses"/>
/// accepts it.
/// </remarks>
public static class QueryEvaluator
{
    /// <summary>Judges a query's result, given as the latest value of each series it returned and the server's warnings.</summary>
    /// <param name="name">The check's name in the result.</param>
    /// <param name="values">The latest sample of each series that has one (empty when the query returned no sample).</param>
    /// <param name="warnings">The server's warnings about the result (a partial response, …); empty when none.</param>
    /// <param name="criteria">The conditions (validated now).</param>
    /// <returns>The verdict, the reduced value, the threshold that decided and a one-line reason.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The name is empty or the criteria are invalid.</exception>
    public static CheckResult Evaluate(string name, IReadOnlyList<double> values, IReadOnlyList<string> warnings, QueryCriteria criteria)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(warnings);
        ArgumentNullException.ThrowIfNull(criteria);
        criteria.Validate();
        var judged = Judge(name, values, criteria);
        if (warnings.Count == 0 || criteria.AllowPartialResponses)
        {
            return judged;
        }

        var more = warnings.Count > 3 ? $" and {warnings.Count - 3} more" : string.Empty;
        return new(name, Verdict.Inconclusive, judged.Value, judged.Threshold,
            $"Incomplete data (server warnings: {string.Join("; ", warnings.Take(3))}{more}): no verdict on this data. Without the warnings: {judged.Reason}", []);
    }

    private static CheckResult Judge(string name, IReadOnlyList<double> values, QueryCriteria criteria)
    {
        CheckResult Result(Verdict verdict, double value, double threshold, string reason) => new(name, verdict, value, threshold, reason, []);

        var (passWhen, failWhen) = (criteria.PassWhen, criteria.FailWhen);
        var threshold = (passWhen ?? failWhen)!.Value.Value;
        if (values.Count == 0)
        {
            return Result(Verdict.Inconclusive, double.NaN, threshold, "No data: the query returned no sample.");
        }

        if (criteria.Reducer == ResultReducer.Single && values.Count > 1)
        {
            return Result(Verdict.Inconclusive, double.NaN, threshold, $"The query returned {values.Count} series where one was expected; aggregate it or choose a reducer.");
        }

        var value = criteria.Reducer switch
        {
            ResultReducer.Sum => values.Sum(),
            ResultReducer.Min => values.Min(),
            ResultReducer.Max => values.Max(),
            ResultReducer.Mean => values.Average(),
            _ => values[0],
        };
        var shown = value.ToString("G6", CultureInfo.InvariantCulture);
        if (double.IsNaN(value))
        {
            return Result(Verdict.Inconclusive, value, threshold, "The value is NaN (for example 0/0 on an idle endpoint): no evidence.");
        }

        if (failWhen is { } fail && fail.IsMetBy(value))
        {
            return Result(Verdict.Fail, value, fail.Value, $"{shown} {fail}: fail condition met.");
        }

        if (passWhen is { } pass)
        {
            if (pass.IsMetBy(value))
            {
                return Result(Verdict.Pass, value, pass.Value, $"{shown} {pass}.");
            }

            return failWhen is null
                ? Result(Verdict.Fail, value, pass.Value, $"{shown} does not meet {pass}.")
                : Result(Verdict.Inconclusive, value, pass.Value, $"{shown} meets neither {pass} nor the fail condition {failWhen}.");
        }

        return Result(Verdict.Pass, value, threshold, $"{shown} does not meet the fail condition {failWhen}.");
    }
}
