using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;

namespace Canary.Analysis.Analysis;

/// <summary>
/// Keptn's quality gate as a check: each measurement runs one instant query per indicator (SLI) — for the canary and, when
/// given, for the baseline — and hands the values to <see cref="KeptnEvaluator"/>, which scores them against the SLO.
/// </summary>
/// <remarks>
/// <para>With baseline queries, relative criteria (<c>&lt;=+10%</c>) compare the canary with the baseline at the same time,
/// which is what a canary wants; without them they compare with <see cref="KeptnCriteria.History"/>.</para>
/// <para>A query must return one series (aggregate it). No series, several series or a response with server warnings (unless
/// <see cref="AllowPartialResponses"/>) leave the indicator without a value, which never lets the check pass. Provider failures
/// throw <see cref="MetricQueryException"/>: the run records an Error measurement.</para>
/// </remarks>
public sealed class KeptnCheck : IAnalysisCheck
{
    private readonly IMetricProvider _provider;
    private readonly Dictionary<string, string> _indicators;
    private readonly Dictionary<string, string>? _baselineIndicators;
    private readonly KeptnCriteria _criteria;

    /// <summary>Creates the check.</summary>
    /// <param name="provider">Where the queries run.</param>
    /// <param name="indicators">The canary's query of each SLI, by SLI name.</param>
    /// <param name="criteria">The SLO, Keptn's options and the history (validated now).</param>
    /// <param name="baselineIndicators">The baseline's query of each SLI, by SLI name; null to compare with the history only.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The criteria are not valid, a query is empty, or an objective with pass criteria has no canary query.</exception>
    public KeptnCheck(IMetricProvider provider, IReadOnlyDictionary<string, string> indicators, KeptnCriteria criteria, IReadOnlyDictionary<string, string>? baselineIndicators = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(indicators);
        ArgumentNullException.ThrowIfNull(criteria);
        criteria.Validate();
        foreach (var query in indicators.Values.Concat(baselineIndicators?.Values ?? []))
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(query, nameof(indicators));
        }

        var unqueried = criteria.Slo.Objectives.Where(o => o.Pass.Count > 0 && !indicators.ContainsKey(o.Sli)).Select(o => o.Sli).ToList();
        if (unqueried.Count > 0)
        {
            throw new ArgumentException($"No query for the SLI(s) {string.Join(", ", unqueried.Select(s => $"'{s}'"))} of objectives with pass criteria.", nameof(indicators));
        }

        _provider = provider;
        _indicators = new Dictionary<string, string>(indicators, StringComparer.Ordinal);
        _baselineIndicators = baselineIndicators is null ? null : new Dictionary<string, string>(baselineIndicators, StringComparer.Ordinal);
        _criteria = criteria;
    }

    /// <summary>
    /// Gets a value indicating whether a response that came with server warnings (typically a partial response) may still be judged.
    /// </summary>
    /// <value>The default value is false: such an indicator has no value.</value>
    public bool AllowPartialResponses { get; init; }

    /// <inheritdoc />
    public CheckDescription Description => new() { Judges = CheckSubject.Objectives, ComparesWithBaseline = _baselineIndicators is not null };

    /// <inheritdoc />
    /// <exception cref="MetricQueryException">A query failed.</exception>
    public async Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var canary = ReadAsync(_indicators, now, cancellationToken);
        var baseline = _baselineIndicators is null ? null : ReadAsync(_baselineIndicators, now, cancellationToken);
        var values = await canary.ConfigureAwait(false);
        var baselineValues = baseline is null ? null : await baseline.ConfigureAwait(false);
        return KeptnEvaluator.Evaluate(values, _criteria, baselineValues);
    }

    private async Task<Dictionary<string, double>> ReadAsync(Dictionary<string, string> queries, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reads = queries.Select(q => (Sli: q.Key, Result: _provider.QueryAsync(q.Value, now, cancellationToken))).ToList();
        await Task.WhenAll(reads.Select(r => r.Result)).ConfigureAwait(false);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (sli, read) in reads)
        {
            var result = await read.ConfigureAwait(false);
            var partial = result.Warnings.Except(result.Infos).Any() && !AllowPartialResponses;
            if (!partial && result.Series is [{ Samples: [.., var last] }])
            {
                values[sli] = last.Value;
            }
        }

        return values;
    }
}
