using System.Globalization;
using System.Text;

namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// express-prom-bundle request histograms (<c>http_request_duration_seconds</c>, labels <c>path</c> and <c>status_code</c>) as
/// OpenMetrics: every request takes 40 ms, scraped every 15 s; errors accrue at a fixed rate per scrape (no sampling).
/// </summary>
internal static class ExpressHistograms
{
    public const string Header = "# TYPE http_request_duration_seconds histogram\n";

    /// <summary>Appends one endpoint's <c>200</c> and <c>500</c> series.</summary>
    /// <param name="text">The OpenMetrics text (after <see cref="Header"/>).</param>
    /// <param name="series">The series' other labels, e.g. <c>version="stable",pod="stable-0"</c>.</param>
    /// <param name="endpoint">The <c>path</c> label.</param>
    /// <param name="requestsPerScrape">Requests per 15 s.</param>
    /// <param name="errorsPerScrape">Errors (5xx) per 15 s.</param>
    /// <param name="start">The first scrape (all counts 0).</param>
    /// <param name="scrapes">How many scrapes.</param>
    public static void Append(StringBuilder text, string series, string endpoint, int requestsPerScrape, double errorsPerScrape, DateTimeOffset start, int scrapes)
    {
        foreach (var code in new[] { "200", "500" })
        {
            var labels = $"{series},path=\"{endpoint}\",status_code=\"{code}\"";
            var counts = Enumerable.Range(0, scrapes).Select(k =>
            {
                var errors = Math.Floor(k * errorsPerScrape);
                return code == "500" ? errors : (k * (double)requestsPerScrape) - errors;
            }).ToList();
            foreach (var (suffix, factor) in new[] { ("_bucket{" + labels + ",le=\"0.025\"}", 0.0), ("_bucket{" + labels + ",le=\"0.05\"}", 1.0), ("_bucket{" + labels + ",le=\"0.1\"}", 1.0), ("_bucket{" + labels + ",le=\"+Inf\"}", 1.0), ("_sum{" + labels + "}", 0.04), ("_count{" + labels + "}", 1.0) })
            {
                for (var k = 0; k < counts.Count; k++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds{suffix} {counts[k] * factor} {start.AddSeconds(15 * k).ToUnixTimeSeconds()}\n");
                }
            }
        }
    }
}
