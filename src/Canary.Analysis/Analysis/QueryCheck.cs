using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;

namespace Canary.Analysis.Analysis;

/// <summary>
/// A plain query-plus-condition check, as Argo Rollouts' metrics are, but typed: each measurement runs the query and hands
/// the result to <see cref="QueryEvaluator"/>, which reduces its values to one number (<see cref="ResultReducer"/>) and
/// compares it with <see cref="PassWhen"/> and/or <see cref="FailWhen"/> (decision table there).
/// </summary>
/// <remarks>
/// Unlike Argo, a check without any condition cannot be built (Argo: always Successful).
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
        var latest = result.Series.Where(s => s.Samples.Count > 0).Select(s => s.Samples[^1].Value).ToList();
        return QueryEvaluator.Evaluate(Name, latest, result.Warnings, new QueryCriteria { PassWhen = PassWhen, FailWhen = FailWhen, Reducer = Reducer, AllowPartialResponses = AllowPartialResponses });
    }
}
