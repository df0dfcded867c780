namespace Canary.Analysis.Statistics.Judge;

/// <summary>Whether outliers are removed before the comparison (Kayenta's <c>outliers.strategy</c>).</summary>
public enum OutlierStrategy
{
    /// <summary>Outliers are kept (Kayenta's default since #621, <c>keep</c>).</summary>
    Keep,

    /// <summary>Values outside the IQR fences are removed from each side separately (<c>remove</c>).</summary>
    Remove,
}
