using System.Globalization;

namespace Canary.Analysis.Policies.Lint;

/// <summary>Number and time formats of lint messages: invariant culture, short.</summary>
internal static class LintText
{
    /// <summary>Formats a duration for messages: 12.5 min, 1 h 13 min, 15 s.</summary>
    public static string Show(TimeSpan value) => value == TimeSpan.MaxValue ? "forever"
        : value >= TimeSpan.FromHours(1) ? (value.Minutes == 0 && value.Seconds == 0 ? I($"{(long)value.TotalHours} h") : I($"{(long)value.TotalHours} h {value.Minutes + (value.Seconds / 60.0):0.#} min"))
        : value >= TimeSpan.FromMinutes(1) ? I($"{value.TotalMinutes:0.#} min")
        : I($"{value.TotalSeconds:0.#} s");

    /// <summary>The time of day <paramref name="offset"/> after <paramref name="start"/>, as HH:mm.</summary>
    public static string Clock(TimeOnly start, TimeSpan offset) => start.Add(offset).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Formats invariantly.</summary>
    public static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
