using System.Text;

namespace Canary.Analysis.Reports.Internal;

/// <summary>
/// Escapes text (labels, reasons, names) for GitHub-flavoured Markdown so that it shows as written and does nothing else: it
/// cannot break a table (<c>|</c>, newlines), open code (<c>`</c>), inject HTML (<c>&lt; &gt; &amp;</c>), format, link, make a
/// heading or mention someone (<c>@</c>). Long text is cut (one label cannot fill a summary).
/// </summary>
internal static class MarkdownText
{
    /// <summary>The longest text kept in one cell, in characters.</summary>
    public const int MaximumLength = 300;

    public static string Escape(string text, int maximumLength = MaximumLength)
    {
        var clean = ReportText.Clean(text);
        var cut = clean.Length > maximumLength;
        var span = cut ? clean.AsSpan(0, char.IsHighSurrogate(clean[maximumLength - 1]) ? maximumLength - 1 : maximumLength) : clean.AsSpan();
        var escaped = new StringBuilder(span.Length + 16);
        foreach (var c in span)
        {
            _ = c switch
            {
                '&' => escaped.Append("&amp;"),
                '<' => escaped.Append("&lt;"),
                '>' => escaped.Append("&gt;"),
                '@' => escaped.Append("&#64;"),
                '\r' or '\n' or '\t' => escaped.Append(' '),
                '\\' or '`' or '*' or '_' or '[' or ']' or '#' or '~' or '|' => escaped.Append('\\').Append(c),
                _ when char.IsControl(c) => escaped.Append('\uFFFD'),
                _ => escaped.Append(c),
            };
        }

        return cut ? escaped.Append('…').ToString() : escaped.ToString();
    }
}
