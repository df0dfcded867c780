using System.Globalization;
using Canary.Analysis.Metrics;

namespace Canary.Analysis.Traffic.Internal;

/// <summary>What the sources accept as a request count, and the gaps a backend's warnings open.</summary>
internal static class RequestCounts
{
    /// <summary>
    /// 2^53: from here on not every whole number is a double, so a count read as 2^53 may really be 2^53 + 1 (or a
    /// saturated or overflowed counter). Counts must stay below it.
    /// </summary>
    public const double ExactLimit = 9_007_199_254_740_992d;

    /// <summary>Whether a value is a usable request count: finite, not negative, below 2^53.</summary>
    public static bool IsValid(double value) => value is >= 0 and < ExactLimit;

    /// <summary>Why a value is not a usable count, for warnings.</summary>
    public static string Why(double value) =>
        double.IsFinite(value) && value >= ExactLimit
            ? string.Create(CultureInfo.InvariantCulture, $"{value:R} is not an exactly representable count (2^53 or more)")
            : string.Create(CultureInfo.InvariantCulture, $"value {value} is not a valid request count");

    /// <summary>
    /// Adds one <see cref="DataGapKind.PartialResponse"/> gap per warning of <paramref name="result"/> (its infos excepted:
    /// notes such as "metric might not be a counter" do not mean that data is missing).
    /// </summary>
    public static void AddWarningGaps(MetricQueryResult result, List<DataGap> gaps)
    {
        foreach (var warning in result.Warnings)
        {
            if (!result.Infos.Contains(warning, StringComparer.Ordinal))
            {
                gaps.Add(new DataGap(DataGapKind.PartialResponse, $"The backend warned on query {result.Query}: {warning}"));
            }
        }
    }
}
