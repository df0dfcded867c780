using System.Globalization;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;

namespace Canary.Analysis.Analysis;

/// <summary>
/// A plain query-plus-condition check, as Argo Rollouts' metrics are, but typed: the query's values are reduced to
/// one number (<see cref="ResultReducer"/>) and compared with <see cref="PassWhen"/> and/or <see cref="FailWhen"/>.
/// </summary>
/// <remarks>
/// Decision table (Argo's, made safe): a met <see cref="FailWhen"/> fails (even if <see cref="PassWhen"/> is met
/// too); a met <see cref="PassWhen"/> passes; with only <see cref="PassWhen"/> set, not meeting it fails; with both
/// set and neither met, Inconclusive. Unlike Argo, an empty result, NaN or an ambiguous multi-series result is
/// Inconclusive with the reason (Argo: Error, or Failed for NaN with only a success condition), and a check
/// without any condition cannot be built (Argo: always Successful). A response with server warnings (a Thanos or
/// Mimir partial response, …) is Inconclusive with the warnings and what the value would have given, unless
/// <see cref="AllowPartialResponses"/> accepts it.
/// </remarks>
public sealed class QueryCheck : IAnalysisCheck
{
    private readonly IMetricProvider _provider;

    /// <summary>Creates the check.</summary>
    /// <param name="name">The check's name in results.</param>
    /// <param name="provider">Where the query runs.</param>
    /// <param name="query">The query, evaluated at each measurement's time.</param>
    /// <param name="passWhen">The condition that passes the check.</param>
    /// <param name="failWhen">The condition that fails the check.</param>
    /// <exception cref="ArgumentException">The name or query is empty, or neither condition is given.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> is null.</exception>
    public QueryCheck(string name, IMetricProvider provider, string query, Threshold? passWhen, Threshold? failWhen = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        if (passWhen is null && failWhen is null)
        {
            throw new ArgumentException($"Query check '{name}' needs a condition: pass passWhen and/or failWhen.", nameof(passWhen));
        }

        Name = name;
        _provider = provider;
        Query = query;
        PassWhen = passWhen;
        FailWhen = failWhen;
    }

    /// <summary>Gets the check's name.</summary>
    public string Name { get; }

    /// <summary>Gets the query.</summary>
    public string Query { get; }

    /// <summary>
    /// Gets a value indicating whether a response that came with server warnings (typically a partial response: a store
    /// that did not answer) may still be judged.
    /// </summary>
    /// <value>The default value is false: such a response is Inconclusive, naming the warnings.</value>
    public bool AllowPartialResponses { get; init; }

    /// <summary>Gets how the result's values become one number.</summary>
    /// <value>The default value is <see cref="ResultReducer.Single"/>.</value>
    public ResultReducer Reducer { get; init; } = ResultReducer.Single;

    /// <summary>Gets the condition that passes the check.</summary>
    public Threshold? PassWhen { get; }

    /// <summary>Gets the condition that fails the check.</summary>
    public Threshold? FailWhen { get; }

    /// <inheritdoc />
    public CheckDescription Description => new() { Judges = CheckSubject.Query, Query = Query };

    /// <inheritdoc />
    public async Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var result = await _provider.QueryAsync(Query, now, cancellationToken).ConfigureAwait(false);
        var judged = Judge(result);
        if (result.Warnings.Count == 0 || AllowPartialResponses)
        {
            return judged;
        }

        var more = result.Warnings.Count > 3 ? $" and {result.Warnings.Count - 3} more" : string.Empty;
        return Result(Verdict.Inconclusive, judged.Value, judged.Threshold,
            $"Incomplete data (server warnings: {string.Join("; ", result.Warnings.Take(3))}{more}): no verdict on this data. Without the warnings: {judged.Reason}");
    }

    private CheckResult Judge(MetricQueryResult result)
    {
        var values = result.Series.Where(s => s.Samples.Count > 0).Select(s => s.Samples[^1].Value).ToList();
        var threshold = (PassWhen ?? FailWhen)!.Value.Value;
        if (values.Count == 0)
        {
            return Result(Verdict.Inconclusive, double.NaN, threshold, "No data: the query returned no sample.");
        }

        if (Reducer == ResultReducer.Single && values.Count > 1)
        {
            return Result(Verdict.Inconclusive, double.NaN, threshold, $"The query returned {values.Count} series where one was expected; aggregate it or choose a reducer.");
        }

        var value = Reducer switch
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

        if (FailWhen is { } fail && fail.IsMetBy(value))
        {
            return Result(Verdict.Fail, value, fail.Value, $"{shown} {fail}: fail condition met.");
        }

        if (PassWhen is { } pass)
        {
            if (pass.IsMetBy(value))
            {
                return Result(Verdict.Pass, value, pass.Value, $"{shown} {pass}.");
            }

            return FailWhen is null
                ? Result(Verdict.Fail, value, pass.Value, $"{shown} does not meet {pass}.")
                : Result(Verdict.Inconclusive, value, pass.Value, $"{shown} meets neither {pass} nor the fail condition {FailWhen}.");
        }

        return Result(Verdict.Pass, value, threshold, $"{shown} does not meet the fail condition {FailWhen}.");
    }

    private CheckResult Result(Verdict verdict, double value, double threshold, string reason) => new(Name, verdict, value, threshold, reason, []);
}
