namespace Canary.Analysis.Metrics.Internal;

/// <summary>
/// What may be sent in an HTTP header: names are RFC 7230 tokens, values have no control characters (a CR or LF would
/// start a header of its own) and are printable ASCII. Shared by every option validation that configures headers.
/// </summary>
internal static class HeaderRules
{
    private const string Separators = "()<>@,;:\\\"/[]?={}";

    /// <summary>Whether <paramref name="name"/> is a non-empty RFC 7230 token.</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c <= ' ' || c >= 127 || Separators.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="value"/> can be sent as a header value (printable ASCII, spaces and tabs).</summary>
    public static bool IsValidValue(string? value)
    {
        if (value is null)
        {
            return false;
        }

        foreach (var c in value)
        {
            if ((c < ' ' && c != '\t') || c >= 127)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A header name fit for a message: control and non-ASCII characters shown as <c>?</c>, at most 64 characters.</summary>
    public static string Printable(string? name)
    {
        if (name is null)
        {
            return "null";
        }

        var chars = name.Length > 64 ? name[..64].ToCharArray() : name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] < ' ' || chars[i] >= 127)
            {
                chars[i] = '?';
            }
        }

        return new string(chars) + (name.Length > 64 ? "…" : string.Empty);
    }

    /// <summary>
    /// Checks a header dictionary: one message per bad name or value, naming the field and the header but never the value.
    /// </summary>
    /// <param name="failures">Where messages go.</param>
    /// <param name="field">The field, e.g. <c>PrometheusOptions.Headers</c>.</param>
    /// <param name="headers">The headers.</param>
    public static void Check(List<string> failures, string field, IEnumerable<KeyValuePair<string, string>> headers)
    {
        foreach (var header in headers)
        {
            if (!IsValidName(header.Key))
            {
                failures.Add($"{field} has an invalid header name '{Printable(header.Key)}': a name is a non-empty RFC 7230 token (letters, digits and !#$%&'*+-.^_`|~; no spaces, colons or control characters).");
            }
            else if (!IsValidValue(header.Value))
            {
                failures.Add(header.Value is null
                    ? $"{field}['{header.Key}'] is null; a header needs a value."
                    : $"{field}['{header.Key}'] contains control or non-ASCII characters (a CR or LF would inject headers); value not shown.");
            }
        }
    }

    /// <summary>Checks one secret sent in a header (a token, a key, a password): a message naming the field, never the value.</summary>
    public static void CheckSecret(List<string> failures, string field, string? value)
    {
        if (value is not null && !IsValidValue(value))
        {
            failures.Add($"{field} contains control or non-ASCII characters (a CR or LF would inject headers); value not shown.");
        }
    }
}
