namespace Canary.Analysis.Statistics.Judge;

/// <summary>The classification of a canary score by its pass and marginal thresholds.</summary>
public enum ScoreClassification
{
    /// <summary>The score is at least the pass threshold.</summary>
    Pass,

    /// <summary>The score is below the pass threshold but at least the marginal threshold.</summary>
    Marginal,

    /// <summary>The score is below the marginal threshold, or a critical metric failed, or half the metrics have no data.</summary>
    Fail,

    /// <summary>Not in Kayenta: the score would pass or be marginal, but a metric is <see cref="MetricClassification.Inconclusive"/> (too few values).</summary>
    Inconclusive,
}
