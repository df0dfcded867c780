using Canary.Analysis.Statistics.Judge;

namespace Canary.Analysis.Analysis;

/// <summary>One metric of a <see cref="JudgeCheck"/>: its Kayenta configuration and the query of each version.</summary>
public sealed class JudgeQuery
{
    /// <summary>Creates a metric.</summary>
    /// <param name="metric">The metric's configuration (name, groups, direction, effect sizes, critical, …).</param>
    /// <param name="canaryQuery">The range query of the canary's series (one series: aggregate it, e.g. <c>sum(rate(…{version="canary"}[1m]))</c>).</param>
    /// <param name="baselineQuery">The range query of the baseline's series.</param>
    /// <exception cref="ArgumentNullException"><paramref name="metric"/> is null.</exception>
    /// <exception cref="ArgumentException">A query is empty, or the metric has no name.</exception>
    public JudgeQuery(MetricConfig metric, string canaryQuery, string baselineQuery)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentException.ThrowIfNullOrWhiteSpace(canaryQuery);
        ArgumentException.ThrowIfNullOrWhiteSpace(baselineQuery);
        if (string.IsNullOrWhiteSpace(metric.Name))
        {
            throw new ArgumentException("A judged metric needs a name (MetricConfig.Name).", nameof(metric));
        }

        (Metric, CanaryQuery, BaselineQuery) = (metric, canaryQuery, baselineQuery);
    }

    /// <summary>Gets the metric's configuration.</summary>
    public MetricConfig Metric { get; }

    /// <summary>Gets the range query of the canary's series.</summary>
    public string CanaryQuery { get; }

    /// <summary>Gets the range query of the baseline's series.</summary>
    public string BaselineQuery { get; }
}
