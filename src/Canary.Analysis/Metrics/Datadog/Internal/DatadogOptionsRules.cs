using System.Globalization;
using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Metrics.Datadog.Internal;

/// <summary>The validation rules of <see cref="DatadogOptions"/>.</summary>
internal static class DatadogOptionsRules
{
    /// <summary>Returns one message per broken rule; empty when the options are usable.</summary>
    /// <param name="options">The options.</param>
    /// <param name="prefix">What the messages put before a field name: <c>DatadogOptions.</c>, or a configuration path such as <c>CanaryAnalysis:Datadog:</c>.</param>
    public static List<string> Validate(DatadogOptions options, string prefix = "DatadogOptions.")
    {
        var failures = new List<string>();
        if (options.Address is { } address)
        {
            if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add($"{prefix}Address must be an absolute http or https URL; it was '{(address.IsAbsoluteUri ? Redaction.Address(address) : Redaction.Text(address.OriginalString, []))}'.");
            }
            else if (!string.IsNullOrEmpty(address.UserInfo) || !string.IsNullOrEmpty(address.Query))
            {
                failures.Add($"{prefix}Address must not carry credentials or a query string (keys go in {prefix}ApiKey and {prefix}ApplicationKey); it was '{Redaction.Address(address)}'.");
            }
        }
        else if (!IsSite(options.Site))
        {
            failures.Add($"{prefix}Site must be a host name such as 'datadoghq.com' or 'datadoghq.eu' (no scheme, no path); it was '{(options.Site?.Contains('@', StringComparison.Ordinal) == true ? Redaction.Mask + "@…" : HeaderRules.Printable(options.Site))}'.");
        }

        CheckKey(failures, prefix + "ApiKey", options.ApiKey);
        CheckKey(failures, prefix + "ApplicationKey", options.ApplicationKey);
        if (options.Timeout <= TimeSpan.Zero && options.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            failures.Add($"{prefix}Timeout must be positive; it was {options.Timeout.ToString("c", CultureInfo.InvariantCulture)}.");
        }

        if (options.MaxResponseBytes <= 0 || options.MaxResponseBytes > Array.MaxLength)
        {
            failures.Add($"{prefix}MaxResponseBytes must be between 1 and {Array.MaxLength.ToString(CultureInfo.InvariantCulture)}; it was {options.MaxResponseBytes.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (options.InstantWindow <= TimeSpan.Zero || options.InstantWindow.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            failures.Add($"{prefix}InstantWindow must be positive and whole milliseconds; it was {options.InstantWindow.ToString("c", CultureInfo.InvariantCulture)}.");
        }

        HttpHandlers.CheckMaxConnections(failures, prefix + "MaxConnectionsPerServer", options.MaxConnectionsPerServer);
        if (!Enum.IsDefined(options.InstantAggregator))
        {
            failures.Add($"{prefix}InstantAggregator '{options.InstantAggregator}' is not a known aggregator.");
        }

        if (options.MaxRateLimitWait < TimeSpan.Zero)
        {
            failures.Add($"{prefix}MaxRateLimitWait must not be negative; it was {options.MaxRateLimitWait.ToString("c", CultureInfo.InvariantCulture)}.");
        }

        return failures;
    }

    public static Uri BaseAddress(DatadogOptions options) => options.Address ?? new Uri("https://api." + options.Site.Trim().ToLowerInvariant() + "/");

    private static void CheckKey(List<string> failures, string field, string? value)
    {
        // Never print a key, not even part of it.
        if (value is null)
        {
            failures.Add($"{field} is required; it was null.");
        }
        else if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{field} is required; it was empty.");
        }
        else if (value.Any(c => char.IsControl(c) || c > 126))
        {
            failures.Add($"{field} contains control or non-ASCII characters that cannot be sent in a header (a CR or LF would inject headers); value not shown.");
        }
    }

    private static bool IsSite(string? site)
    {
        if (string.IsNullOrWhiteSpace(site) || site.Length > 253 || !site.Contains('.', StringComparison.Ordinal) || site[0] == '.' || site[^1] == '.')
        {
            return false;
        }

        foreach (var c in site.Trim())
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
