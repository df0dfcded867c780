namespace Canary.Analysis.Traffic;

/// <summary>Why a snapshot's data is known to be incomplete.</summary>
public enum DataGapKind
{
    /// <summary>The server answered with warnings (Thanos or Mimir "partial response", a store that did not answer).</summary>
    PartialResponse,

    /// <summary>A scrape target had no successful scrape in the window (refused, timed out, 5xx).</summary>
    TargetUnreachable,

    /// <summary>Data the source had before is gone (a version's series vanished, a counter could not be followed).</summary>
    MissingData,
}
