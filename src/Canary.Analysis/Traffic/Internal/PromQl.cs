using System.Globalization;
using System.Text;

namespace Canary.Analysis.Traffic.Internal;

/// <summary>Renders the pieces of PromQL the library writes: names are validated, values escaped.</summary>
internal static class PromQl
{
    /// <summary>Whether <paramref name="name"/> is a valid label name (<c>[a-zA-Z_][a-zA-Z0-9_]*</c>).</summary>
    public static bool IsValidLabelName(string? name) => IsValidName(name, allowColon: false);

    /// <summary>Whether <paramref name="name"/> is a valid metric name (<c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>).</summary>
    public static bool IsValidMetricName(string? name) => IsValidName(name, allowColon: true);

    /// <summary>Renders a double-quoted PromQL string literal whose content is exactly <paramref name="value"/>.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        AppendQuoted(builder, value);
        return builder.ToString();
    }

    /// <summary>Appends a double-quoted PromQL string literal whose content is exactly <paramref name="value"/>.</summary>
    public static void AppendQuoted(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case '"': builder.Append("\\\""); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    /// <summary>Renders a range duration (<c>900s</c>, <c>1500ms</c>); the duration must be positive and whole milliseconds.</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A PromQL range must be positive.");
        }

        if (duration.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A PromQL range must be a whole number of milliseconds.");
        }

        var ms = (long)duration.TotalMilliseconds;
        return ms % 1000 == 0
            ? (ms / 1000).ToString(CultureInfo.InvariantCulture) + "s"
            : ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    /// <summary>
    /// Renders the range of a query's window on Prometheus' millisecond grid. Prometheus evaluates at the end truncated to
    /// the millisecond (the <c>time</c> parameter has millisecond precision), so the range is ⌊end⌋ − ⌊start⌋: windows that
    /// follow each other (a look's start is the previous look's end) tile exactly, whatever ticks the clock had. A window
    /// within one millisecond reads the last millisecond (1ms), where <c>increase()</c> finds no pair of samples.
    /// </summary>
    public static string Range(TrafficQuery query) => Duration(WindowRange(query));

    /// <summary>The range of <see cref="Range"/> as a duration: ⌊end⌋ − ⌊start⌋ on the millisecond grid, at least 1 ms.</summary>
    public static TimeSpan WindowRange(TrafficQuery query)
    {
        var end = Floor(query.End);
        var start = Floor(query.Start);
        return end > start ? end - start : TimeSpan.FromMilliseconds(1);
    }

    /// <summary>A time truncated to the millisecond, as Prometheus reads the <c>time</c> parameter.</summary>
    public static DateTimeOffset Floor(DateTimeOffset time) =>
        time.AddTicks(-(time.UtcTicks % TimeSpan.TicksPerMillisecond));

    private static bool IsValidName(string? name, bool allowColon)
    {
        if (string.IsNullOrEmpty(name) || !IsNameStart(name[0], allowColon))
        {
            return false;
        }

        for (var i = 1; i < name.Length; i++)
        {
            if (!IsNameChar(name[i], allowColon))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNameStart(char c, bool allowColon) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (allowColon && c == ':');

    private static bool IsNameChar(char c, bool allowColon) => IsNameStart(c, allowColon) || c is >= '0' and <= '9';
}
