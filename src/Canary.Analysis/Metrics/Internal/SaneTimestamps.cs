namespace Canary.Analysis.Metrics.Internal;

/// <summary>
/// The range of sample timestamps the response parsers accept: from the Unix epoch (1970-01-01T00:00:00Z) up to,
/// not including, 2200-01-01T00:00:00Z. Anything outside is a broken or hostile response, not data to judge.
/// </summary>
internal static class SaneTimestamps
{
    /// <summary>The first accepted instant, in Unix seconds (1970-01-01T00:00:00Z).</summary>
    public const long MinUnixSeconds = 0;

    /// <summary>The first instant no longer accepted, in Unix seconds (2200-01-01T00:00:00Z).</summary>
    public const long EndUnixSeconds = 7_258_118_400;

    /// <summary>The first instant no longer accepted, in Unix milliseconds.</summary>
    public const long EndUnixMilliseconds = EndUnixSeconds * 1000;

    /// <summary>A one-line description of the range, for error messages.</summary>
    public const string Description = "between 1970-01-01T00:00:00Z and 2200-01-01T00:00:00Z";

    /// <summary>Whether a number of Unix milliseconds is in the range (false for NaN and infinities).</summary>
    public static bool ContainsMilliseconds(double milliseconds) => milliseconds >= 0 && milliseconds < EndUnixMilliseconds;

    /// <summary>Whether an instant is in the range.</summary>
    public static bool Contains(DateTimeOffset time) =>
        time >= DateTimeOffset.UnixEpoch && time < DateTimeOffset.FromUnixTimeSeconds(EndUnixSeconds);
}
