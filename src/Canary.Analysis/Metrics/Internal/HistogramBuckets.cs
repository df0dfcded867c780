using System.Globalization;
using Canary.Analysis.Traffic.Internal;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>The rules both Prometheus readers (the PromQL source and the scrape history) apply to one cumulative latency bucket.</summary>
internal static class HistogramBuckets
{
    /// <summary>
    /// The bucket's upper bound, or null with a warning: when <paramref name="le"/> is not a number the series is ignored
    /// (Prometheus' <c>histogram_quantile</c> ignores it too); when <paramref name="count"/> is not a usable count
    /// (<see cref="RequestCounts.IsValid"/>) the endpoint is added to <paramref name="broken"/>: it has no usable latency.
    /// </summary>
    public static double? Bound(string endpoint, string le, double count, List<string> warnings, HashSet<string> broken)
    {
        if (!PrometheusNumber.TryParse(le, out var bound) || double.IsNaN(bound))
        {
            warnings.Add($"Endpoint '{endpoint}': bucket le=\"{le}\" is not a number and was ignored.");
            return null;
        }

        if (!RequestCounts.IsValid(count))
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Endpoint '{endpoint}': bucket le=\"{le}\" has count {count:R}; the endpoint has no usable latency."));
            broken.Add(endpoint);
            return null;
        }

        return bound;
    }
}
