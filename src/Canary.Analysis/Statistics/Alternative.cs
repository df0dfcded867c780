namespace Canary.Analysis.Statistics;

/// <summary>The alternative hypothesis of a test, stated for the canary relative to the baseline.</summary>
public enum Alternative
{
    /// <summary>The canary differs from the baseline in either direction (R's <c>"two.sided"</c>).</summary>
    TwoSided = 0,

    /// <summary>The canary is less than the baseline (R's <c>"less"</c>).</summary>
    Less = 1,

    /// <summary>The canary is greater than the baseline (R's <c>"greater"</c>).</summary>
    Greater = 2,
}
