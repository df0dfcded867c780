using System.Text;
using System.Text.RegularExpressions;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>
/// The one place that removes secrets from text the library produces (exception messages, snapshot warnings, failure
/// reasons): configured secret values, credentials and query strings in URLs, and header-like lines a server echoed
/// back (<c>Authorization: Bearer …</c>). Everything that turns transport or server text into a message goes through it.
/// </summary>
internal static partial class Redaction
{
    /// <summary>What a removed secret is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>Secrets shorter than this are not searched for: replacing them would mangle any text without protecting anything.</summary>
    public const int MinimumSecretLength = 4;

    /// <summary>An address fit for a message: no user information, no query string, no fragment (and no path unless http or https).</summary>
    public static string Address(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri)
        {
            return Text(address.OriginalString, []);
        }

        var builder = new StringBuilder(address.Scheme).Append("://");
        if (!string.IsNullOrEmpty(address.UserInfo))
        {
            builder.Append(Mask).Append('@');
        }

        builder.Append(address.Authority);
        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps
            && (address.AbsolutePath.Contains('?', StringComparison.Ordinal) || address.AbsolutePath.Contains("%3F", StringComparison.OrdinalIgnoreCase)))
        {
            // Other schemes parse queries differently (ftp keeps "?token=…" in the path): then show no path at all.
            return builder.Append("/…").ToString();
        }

        builder.Append(address.AbsolutePath);
        if (!string.IsNullOrEmpty(address.Query))
        {
            builder.Append('?').Append(Mask);
        }

        return builder.ToString();
    }

    /// <summary>
    /// The forms a secret may take on the wire or in an echo: itself and its URL-escaped form. Null, empty and very short
    /// values are left out.
    /// </summary>
    public static IEnumerable<string> Forms(string? secret)
    {
        if (secret is null || secret.Length < MinimumSecretLength)
        {
            yield break;
        }

        yield return secret;
        var escaped = Uri.EscapeDataString(secret);
        if (!string.Equals(escaped, secret, StringComparison.Ordinal))
        {
            yield return escaped;
        }
    }

    /// <summary>The secrets of HTTP basic authentication: the password and the base64 credentials of the header.</summary>
    public static IEnumerable<string> BasicAuthForms(string? username, string? password)
    {
        if (username is null)
        {
            return [];
        }

        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + (password ?? string.Empty)));
        return Forms(password).Append(encoded);
    }

    /// <summary>Builds the secret list a component redacts with: distinct, longest first (so a secret inside another goes too).</summary>
    public static string[] Secrets(IEnumerable<string?> values) =>
        [.. values.SelectMany(Forms).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];

    /// <summary>Removes the given secrets, credentials and query strings in URLs, and credential-looking header lines.</summary>
    /// <param name="text">The text; null gives the empty string.</param>
    /// <param name="secrets">Secret values to remove, as built by <see cref="Secrets"/>.</param>
    public static string Text(string? text, IReadOnlyList<string> secrets)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        foreach (var secret in secrets)
        {
            if (secret.Length >= MinimumSecretLength)
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        text = UrlUserInfo().Replace(text, "$1" + Mask + "@");
        text = UrlQuery().Replace(text, "$1?" + Mask);
        text = AuthorizationLine().Replace(text, "$1$2" + Mask);
        text = SchemeCredentials().Replace(text, "$1 " + Mask);
        text = SecretField().Replace(text, "$1$2" + Mask);
        return text;
    }

    /// <summary>
    /// An exception fit to be carried as an inner exception: Flurl's own exceptions (whose message holds the whole
    /// request URL) are replaced by their cause, and a cause whose text needs redaction by a plain copy of its redacted message.
    /// </summary>
    public static Exception? Inner(Exception? exception, IReadOnlyList<string> secrets)
    {
        while (exception is Flurl.Http.FlurlHttpException flurl)
        {
            exception = flurl.InnerException;
        }

        if (exception is null)
        {
            return null;
        }

        var text = exception.ToString();
        if (string.Equals(Text(text, secrets), text, StringComparison.Ordinal))
        {
            return exception;
        }

        var message = Text(exception.Message, secrets);
        return exception is OperationCanceledException ? new OperationCanceledException(message) : new HttpRequestException(message);
    }

    [GeneratedRegex(@"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@'""<>]+@")]
    private static partial Regex UrlUserInfo();

    [GeneratedRegex(@"(?i)\b([a-z][a-z0-9+.\-]*://[^\s?#'""<>]*)\?[^\s#'""<>]*")]
    private static partial Regex UrlQuery();

    // "Authorization: Bearer x", "authorization":["Basic x"], Proxy-Authorization=…: everything up to the end of the line or quote.
    [GeneratedRegex(@"(?i)\b((?:proxy-)?authorization|cookie|set-cookie)(""?\s*[:=]\s*\[?\s*""?)[^\r\n""]*")]
    private static partial Regex AuthorizationLine();

    // A credential after its scheme word; it must hold a digit or a symbol, so prose ("basic authentication") stays.
    [GeneratedRegex(@"\b(Bearer|Basic|bearer|basic|BEARER|BASIC)\s+(?=[A-Za-z]*[0-9\-._~+/=])[A-Za-z0-9\-._~+/]{4,}=*")]
    private static partial Regex SchemeCredentials();

    // A single-valued secret field: x-api-key: v, "dd-api-key":"v", token=v, password: v.
    [GeneratedRegex(@"(?i)\b(x-api-key|api[-_]?key|dd-api-key|dd-application-key|application[-_]?key|app[-_]?key|x-auth-token|access[-_]?token|token|password|passwd|secret)(""?\s*[:=]\s*""?)[^\s""',;&}\]]+")]
    private static partial Regex SecretField();
}
