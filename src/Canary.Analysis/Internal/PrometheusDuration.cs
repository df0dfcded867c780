using System.Globalization;
using System.Text;

namespace Canary.Analysis.Internal;

/// <summary>Durations as Prometheus writes them: one or more <c>&lt;whole number&gt;&lt;unit&gt;</c>, units w, d, h, m, s, ms, largest first.</summary>
internal static class PrometheusDuration
{
    private static readonly (string Unit, TimeSpan Length)[] Units =
    [
        ("w", TimeSpan.FromDays(7)), ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)), ("m", TimeSpan.FromMinutes(1)),
        ("s", TimeSpan.FromSeconds(1)), ("ms", TimeSpan.FromMilliseconds(1)),
    ];

    public static TimeSpan? Parse(string text)
    {
        var total = TimeSpan.Zero;
        var position = 0;
        var lastUnit = -1;
        while (position < text.Length)
        {
            var start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }

            if (position == start || position - start > 9)
            {
                return null;
            }

            var number = long.Parse(text.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture);
            var unit = UnitAt(text, position);
            if (unit <= lastUnit)
            {
                return null; // no unit, or units out of order or repeated
            }

            position += Units[unit].Unit.Length;
            lastUnit = unit;
            if (number > (TimeSpan.MaxValue - total).Ticks / Units[unit].Length.Ticks)
            {
                return null; // longer than a TimeSpan holds
            }

            total += Units[unit].Length * number;
        }

        return position == 0 ? null : total;
    }

    public static string Format(TimeSpan value)
    {
        var text = new StringBuilder();
        var rest = value;
        foreach (var (unit, length) in Units)
        {
            if (unit == "w")
            {
                continue; // 7d reads better than 1w in messages
            }

            var count = rest.Ticks / length.Ticks;
            if (count > 0)
            {
                text.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
                rest -= length * count;
            }
        }

        return text.Length == 0 ? "0s" : text.ToString();
    }

    private static int UnitAt(string text, int position)
    {
        // "ms" before "m": the longer unit wins where both match.
        if (string.CompareOrdinal(text, position, "ms", 0, 2) == 0)
        {
            return Units.Length - 1;
        }

        for (var i = 0; i < Units.Length - 1; i++)
        {
            if (position < text.Length && text[position] == Units[i].Unit[0])
            {
                return i;
            }
        }

        return -1;
    }
}
