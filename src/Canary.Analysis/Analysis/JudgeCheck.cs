using System.Globalization;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;

namespace Canary.Analysis.Analysis;

/// <summary>
/// Kayenta's canary judge as a check: each measurement reads every metric's canary and baseline series over a trailing
/// window (one range query per version and metric) and hands them to <see cref="JudgeEvaluator"/>, which classifies them
/// with Mann–Whitney and scores them as Kayenta does.
/// </summary>
/// <remarks>
/// <para>A query must return one series (aggregate it); no series is missing data, several series or a response with server
/// warnings (a partial response, unless <see cref="AllowPartialResponses"/>) make the metric unusable, so the check cannot
/// pass (see <see cref="JudgeEvaluator"/>). Provider failures throw <see cref="MetricQueryException"/>: the run records an
/// Error measurement.</para>
/// <para>Like Kayenta's, the judge is a fixed-sample comparison repeated at each look: its false alarms add up over looks.
/// For a fail-fast check that may look every minute use <see cref="SequentialErrorRateCheck"/>.</para>
/// </remarks>
public sealed class JudgeCheck : IAnalysisCheck
{
    private readonly IMetricProvider _provider;
    private readonly IReadOnlyList<JudgeQuery> _metrics;
    private readonly TimeSpan _window;
    private readonly TimeSpan _step;
    private readonly JudgeCriteria _criteria;

    /// <summary>Creates the check.</summary>
    /// <param name="provider">Where the queries run.</param>
    /// <param name="metrics">The metrics to judge.</param>
    /// <param name="window">The trailing window each measurement reads.</param>
    /// <param name="step">The distance between the values of a series (the range query's step; typically the scrape interval).</param>
    /// <param name="criteria">The thresholds, group weights and options (validated now); null uses the defaults.</param>
    /// <exception cref="ArgumentNullException">A required argument or a metric is null.</exception>
    /// <exception cref="ArgumentException">There is no metric, two metrics share a name, or the criteria are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The window or the step is not positive.</exception>
    public JudgeCheck(IMetricProvider provider, IReadOnlyList<JudgeQuery> metrics, TimeSpan window, TimeSpan step, JudgeCriteria? criteria = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        criteria ??= new JudgeCriteria();
        criteria.Validate();
        if (metrics.Count == 0)
        {
            throw new ArgumentException("The judge needs at least one metric.", nameof(metrics));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var metric in metrics)
        {
            ArgumentNullException.ThrowIfNull(metric, nameof(metrics));
            if (!names.Add(metric.Metric.Name))
            {
                throw new ArgumentException($"Two judged metrics are named '{metric.Metric.Name}'.", nameof(metrics));
            }
        }

        (_provider, _metrics, _window, _step, _criteria) = (provider, metrics.ToArray(), window, step, criteria);
    }

    /// <summary>
    /// Gets a value indicating whether a response that came with server warnings (typically a partial response) may still be judged.
    /// </summary>
    /// <value>The default value is false: such a metric is unusable, naming the warnings.</value>
    public bool AllowPartialResponses { get; init; }

    /// <inheritdoc />
    public CheckDescription Description => new()
    {
        Judges = CheckSubject.MetricSeries,
        Window = _window,
        MinimumDataPoints = Math.Max(_criteria.MinimumDataPoints, _criteria.Options.MinimumSampleSize),
        ComparesWithBaseline = true,
    };

    /// <inheritdoc />
    /// <exception cref="MetricQueryException">A query failed.</exception>
    public async Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var start = now - _window;
        var reads = _metrics.Select(m => (
            Metric: m,
            Canary: _provider.QueryRangeAsync(m.CanaryQuery, start, now, _step, cancellationToken),
            Baseline: _provider.QueryRangeAsync(m.BaselineQuery, start, now, _step, cancellationToken))).ToList();
        await Task.WhenAll(reads.SelectMany(r => new[] { r.Canary, r.Baseline })).ConfigureAwait(false);
        var data = new List<JudgeMetricData>(reads.Count);
        foreach (var (metric, canaryRead, baselineRead) in reads)
        {
            var canary = await canaryRead.ConfigureAwait(false);
            var baseline = await baselineRead.ConfigureAwait(false);
            var problem = Problem("canary", canary) ?? Problem("baseline", baseline);
            data.Add(new JudgeMetricData(metric.Metric, Values(canary), Values(baseline)) { Problem = problem });
        }

        return JudgeEvaluator.Evaluate(data, _criteria);
    }

    private static double[] Values(MetricQueryResult result) =>
        result.Series.Count == 1 ? result.Series[0].Samples.Select(s => s.Value).ToArray() : [];

    private string? Problem(string version, MetricQueryResult result)
    {
        if (result.Series.Count > 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"The {version} query returned {result.Series.Count} series where one was expected; aggregate it");
        }

        var warnings = result.Warnings.Except(result.Infos).ToList();
        if (warnings.Count > 0 && !AllowPartialResponses)
        {
            return $"Incomplete {version} data (server warnings: {string.Join("; ", warnings.Take(3))})";
        }

        return null;
    }
}
