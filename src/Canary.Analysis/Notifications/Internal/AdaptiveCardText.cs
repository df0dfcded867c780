using System.Text;

namespace Canary.Analysis.Notifications.Internal;

/// <summary>
/// Escapes text for an Adaptive Card's TextBlock and FactSet, which render a Markdown subset (bold <c>**</c>, italic <c>*</c>
/// and <c>_</c>, links <c>[text](url)</c>, bulleted and numbered lists): every character that could start that markup is
/// backslash-escaped (<c>\ * _ [ ]</c> anywhere, <c>- +</c> and a number's dot at the start of a line), so that a label value
/// or an endpoint name shows as written and formats, links or lists nothing. Nothing else is touched: the subset has no
/// headings, code or HTML.
/// </summary>
internal static class AdaptiveCardText
{
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        var lineStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\' or '*' or '_' or '[' or ']':
                    escaped.Append('\\').Append(c);
                    break;

                // A list item starts a line: "- ", "+ ", "1. ".
                case '-' or '+' when lineStart:
                    escaped.Append('\\').Append(c);
                    break;
                case '.' when lineStart is false && IsNumberedItem(text, i):
                    escaped.Append("\\.");
                    break;
                default:
                    escaped.Append(c);
                    break;
            }

            lineStart = c is '\n' or '\r' || (lineStart && c is ' ' or '\t');
        }

        return escaped.ToString();
    }

    /// <summary>Whether the dot at <paramref name="dot"/> ends digits that start a line (a numbered list item, "1.").</summary>
    private static bool IsNumberedItem(string text, int dot)
    {
        var start = dot;
        while (start > 0 && char.IsAsciiDigit(text[start - 1]))
        {
            start--;
        }

        if (start == dot)
        {
            return false;
        }

        while (start > 0 && text[start - 1] is ' ' or '\t')
        {
            start--;
        }

        return start == 0 || text[start - 1] is '\n' or '\r';
    }
}
