using Canary.Analysis.Statistics.Judge;

namespace Canary.Analysis.Evaluation;

/// <summary>One metric for <see cref="JudgeEvaluator"/>: its Kayenta configuration and the canary's and the baseline's values.</summary>
public sealed class JudgeMetricData
{
    /// <summary>Creates the data of one metric.</summary>
    /// <param name="metric">The metric's configuration (name, groups, direction, effect sizes, critical, …).</param>
    /// <param name="canary">The canary's values (Kayenta's "experiment"); empty when its series is missing.</param>
    /// <param name="baseline">The baseline's values (Kayenta's "control"); empty when its series is missing.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public JudgeMetricData(MetricConfig metric, IReadOnlyList<double> canary, IReadOnlyList<double> baseline)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(baseline);
        (Metric, Canary, Baseline) = (metric, canary, baseline);
    }

    /// <summary>Gets the metric's configuration.</summary>
    public MetricConfig Metric { get; }

    /// <summary>Gets the canary's values.</summary>
    public IReadOnlyList<double> Canary { get; }

    /// <summary>Gets the baseline's values.</summary>
    public IReadOnlyList<double> Baseline { get; }

    /// <summary>
    /// Gets why the values cannot be used (a query that returned several series, a partial response), or null when they can.
    /// A metric with a problem counts as missing data: it never lets the check pass.
    /// </summary>
    /// <value>The default value is null.</value>
    public string? Problem { get; init; }
}
