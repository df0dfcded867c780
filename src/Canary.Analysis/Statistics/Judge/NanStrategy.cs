namespace Canary.Analysis.Statistics.Judge;

/// <summary>How NaN values of a series are handled before the comparison (Kayenta's <c>nanStrategy</c>).</summary>
public enum NanStrategy
{
    /// <summary>NaN values are removed (Kayenta's default, <c>remove</c>).</summary>
    Remove,

    /// <summary>NaN values are replaced with 0 (<c>replace</c>).</summary>
    Replace,
}
