using System.Globalization;
using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Metrics.Prometheus.Internal;

/// <summary>The validation rules shared by <see cref="PrometheusOptions.Validate"/>, the validator and the provider.</summary>
internal static class PrometheusOptionsRules
{
    /// <summary>Returns one message per broken rule; empty when the options are usable.</summary>
    /// <param name="options">The options.</param>
    /// <param name="fallbackAddress">The injected client's base address, used when <see cref="PrometheusOptions.Address"/> is null.</param>
    /// <param name="prefix">What the messages put before a field name: <c>PrometheusOptions.</c>, or a configuration path such as <c>CanaryAnalysis:Prometheus:</c>.</param>
    public static List<string> Validate(PrometheusOptions options, Uri? fallbackAddress, string prefix = "PrometheusOptions.")
    {
        var failures = new List<string>();
        var address = options.Address ?? fallbackAddress;
        if (address is null)
        {
            failures.Add($"{prefix}Address is required (the Prometheus base URL, e.g. http://prometheus:9090/); it was null.");
        }
        else if (!address.IsAbsoluteUri)
        {
            failures.Add($"{prefix}Address must be an absolute http or https URL; it was '{Redaction.Text(address.OriginalString, [])}'.");
        }
        else if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{prefix}Address must use http or https; it was '{Redaction.Address(address)}' (scheme '{address.Scheme}').");
        }
        else if (!string.IsNullOrEmpty(address.UserInfo))
        {
            failures.Add($"{prefix}Address must not carry credentials (they would not be sent); set {prefix}Username/{prefix}Password or {prefix}BearerToken instead; it was '{Redaction.Address(address)}'.");
        }
        else if (!string.IsNullOrEmpty(address.Query) || !string.IsNullOrEmpty(address.Fragment))
        {
            failures.Add($"{prefix}Address must not have a query string or fragment (query strings often carry tokens; use {prefix}Headers); it was '{Redaction.Address(address)}'.");
        }

        var hasBearer = options.BearerToken is not null;
        var hasUser = options.Username is not null;
        if (hasBearer && options.BearerToken!.Length == 0)
        {
            failures.Add($"{prefix}BearerToken must not be empty when set; it was ''.");
        }

        if (hasBearer && (hasUser || options.Password is not null))
        {
            failures.Add($"{prefix}BearerToken and {prefix}Username/Password are both set; choose bearer or basic authentication.");
        }

        if (options.Password is not null && string.IsNullOrEmpty(options.Username))
        {
            failures.Add($"{prefix}Password is set but {prefix}Username is {(options.Username is null ? "null" : "''")}; basic authentication needs a user name.");
        }

        if (hasUser && options.Username!.Contains(':', StringComparison.Ordinal))
        {
            failures.Add($"{prefix}Username must not contain ':' (basic authentication separator); it was '{HeaderRules.Printable(options.Username)}'.");
        }

        HeaderRules.CheckSecret(failures, prefix + "BearerToken", options.BearerToken);
        HeaderRules.CheckSecret(failures, prefix + "Username", options.Username);
        HeaderRules.CheckSecret(failures, prefix + "Password", options.Password);
        HttpHandlers.CheckMaxConnections(failures, prefix + "MaxConnectionsPerServer", options.MaxConnectionsPerServer);

        if (options.TenantId is { } tenant && (tenant.Length == 0 || !HeaderRules.IsValidValue(tenant)))
        {
            failures.Add($"{prefix}TenantId must be a non-empty header value of printable ASCII without control characters; it was '{HeaderRules.Printable(tenant)}'.");
        }

        if (options.Timeout <= TimeSpan.Zero && options.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            failures.Add($"{prefix}Timeout must be positive; it was {options.Timeout.ToString("c", CultureInfo.InvariantCulture)}.");
        }

        if (options.MaxResponseBytes <= 0)
        {
            failures.Add($"{prefix}MaxResponseBytes must be positive; it was {options.MaxResponseBytes.ToString(CultureInfo.InvariantCulture)}.");
        }
        else if (options.MaxResponseBytes > Array.MaxLength)
        {
            failures.Add($"{prefix}MaxResponseBytes must be at most {Array.MaxLength.ToString(CultureInfo.InvariantCulture)}; it was {options.MaxResponseBytes.ToString(CultureInfo.InvariantCulture)}.");
        }

        HeaderRules.Check(failures, prefix + "Headers", options.Headers);
        if ((hasBearer || hasUser) && options.Headers.Keys.Any(name => string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase)))
        {
            failures.Add($"{prefix}Headers['Authorization'] conflicts with {prefix}BearerToken/Username; set only one.");
        }

        return failures;
    }
}
