namespace Canary.Analysis.Statistics.Judge;

/// <summary>The effect size that gates a High or Low classification (Kayenta's <c>effectSize.measure</c>).</summary>
public enum EffectSizeMeasure
{
    /// <summary>Canary mean / baseline mean; NaN when either mean is 0 (Kayenta's default, <c>meanRatio</c>). Default thresholds 1.0.</summary>
    MeanRatio,

    /// <summary>The common-language effect size P(canary &gt; baseline) + ½·P(tie) (<c>cles</c>). Default thresholds 0.5.</summary>
    Cles,
}
