using System.Globalization;
using System.Net.Http.Headers;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>Reads how long a 429 (or 503) answer asks the client to wait.</summary>
internal static class RetryAfterHeader
{
    /// <summary>
    /// The standard <c>Retry-After</c> header: delta seconds, or an HTTP-date taken relative to <paramref name="time"/>'s
    /// now (a date in the past is zero). Null when absent or unreadable.
    /// </summary>
    public static TimeSpan? Read(HttpResponseHeaders headers, TimeProvider time)
    {
        if (!headers.TryGetValues("Retry-After", out var values))
        {
            return null;
        }

        var text = values.FirstOrDefault()?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds <= (long)TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(seconds) : null;
        }

        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
