namespace Canary.Analysis.Statistics.Internal;

/// <summary>How R's <c>uniroot</c> may widen the search interval (R's <c>extendInt</c>).</summary>
internal enum ExtendInterval
{
    /// <summary>Never widen (<c>"no"</c>).</summary>
    No,

    /// <summary>Widen both ends until the signs differ (<c>"yes"</c>).</summary>
    Yes,

    /// <summary>The function increases: widen so that f(lower) ≤ 0 ≤ f(upper) (<c>"upX"</c>).</summary>
    UpX,
}
