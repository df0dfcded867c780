using System.Globalization;

namespace Canary.Analysis.Evaluation.Internal;

/// <summary>Number formats for reasons: invariant culture, short.</summary>
internal static class Format
{
    public static string Percent(double rate) =>
        double.IsNaN(rate) ? "n/a" : (rate * 100).ToString("0.###", CultureInfo.InvariantCulture) + " %";

    public static string Count(double count) =>
        double.IsNaN(count) ? "NaN" : count.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Endpoint(string endpoint) => endpoint.Length == 0 ? "(no endpoint label)" : endpoint;

    public static string Seconds(double seconds) =>
        double.IsNaN(seconds) ? "n/a"
        : Math.Abs(seconds) >= 1 ? seconds.ToString("0.###", CultureInfo.InvariantCulture) + " s"
        : (seconds * 1000).ToString("0.###", CultureInfo.InvariantCulture) + " ms";
}
