using System.Globalization;
using System.Net;
using System.Text;
using Canary.Analysis.Analysis;

namespace Canary.Analysis.Reports.Internal;

/// <summary>
/// Inline SVG charts for the HTML report, drawn from the report's numbers: no script, no remote resource, every text escaped.
/// Each chart has a <c>data-chart</c> attribute naming what it shows (<c>evidence</c>, <c>endpoints</c>, <c>weights</c>).
/// </summary>
internal static class SvgCharts
{
    private const double Width = 760, Left = 64, Right = 16, Top = 14, Bottom = 28;

    /// <summary>A check's value at each look against its threshold (boundary), over <paramref name="from"/>–<paramref name="to"/>.</summary>
    public static string Evidence(ReportCheck check, DateTimeOffset from, DateTimeOffset to)
    {
        const double height = 200;
        var values = check.History.Select(p => p.Value).Concat(check.History.Select(p => p.Threshold)).Where(double.IsFinite).ToArray();
        var (low, high) = Range(values);
        var svg = Open("evidence", height, $"{ReportText.CheckName(check)}: value at each look against its threshold");
        Axes(svg, height, low, high, from, to);
        var x = Scale(from, to);
        double Y(double v) => Top + ((high - v) / (high - low) * (height - Top - Bottom));

        // The threshold as it was at each look (a step line when it changes, e.g. when a step changes the check).
        var boundary = check.History.Where(p => double.IsFinite(p.Threshold)).ToArray();
        if (boundary.Length > 0)
        {
            var line = new StringBuilder();
            foreach (var p in boundary)
            {
                line.Append(Invariant($"{x(p.At):0.#},{Y(p.Threshold):0.#} "));
            }

            if (boundary.Length == 1)
            {
                line.Append(Invariant($"{Width - Right:0.#},{Y(boundary[0].Threshold):0.#}"));
                line.Insert(0, Invariant($"{Left:0.#},{Y(boundary[0].Threshold):0.#} "));
            }

            svg.Append(Invariant($"<polyline class=\"threshold\" points=\"{line.ToString().Trim()}\" fill=\"none\" stroke=\"#c62828\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"><title>threshold {ReportText.Number(boundary[^1].Threshold)}</title></polyline>"));
            svg.Append(Invariant($"<text x=\"{x(boundary[^1].At):0.#}\" y=\"{Y(boundary[^1].Threshold) - 5:0.#}\" text-anchor=\"end\" fill=\"#c62828\">threshold {ReportText.Number(boundary[^1].Threshold)}</text>"));
        }

        var measured = check.History.Where(p => double.IsFinite(p.Value)).ToArray();
        if (measured.Length > 1)
        {
            svg.Append("<polyline class=\"value\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\" points=\"");
            svg.Append(string.Join(' ', measured.Select(p => Invariant($"{x(p.At):0.#},{Y(p.Value):0.#}"))));
            svg.Append("\"/>");
        }

        foreach (var p in check.History)
        {
            var cy = double.IsFinite(p.Value) ? Y(p.Value) : height - Bottom;
            svg.Append(Invariant($"<circle class=\"look {p.Phase.ToString().ToLowerInvariant()}\" cx=\"{x(p.At):0.#}\" cy=\"{cy:0.#}\" r=\"3.5\" fill=\"{Color(p.Phase)}\"><title>{ReportText.Time(p.At)} {p.Phase}: {ReportText.Number(p.Value)}</title></circle>"));
        }

        return Close(svg);
    }

    /// <summary>Each endpoint's canary value beside its baseline value, as horizontal bars.</summary>
    public static string Endpoints(ReportCheck check)
    {
        const double row = 26, labelWidth = 200;
        var rows = check.Endpoints;
        const double legend = 18;
        var height = Top + legend + Bottom + (row * rows.Count);
        // The axis starts below the smallest value by half the spread (at 0 when values reach it), so that a few points of
        // difference between success rates near 100 % show; its start is labelled.
        var values = rows.SelectMany(r => new[] { r.Value, r.BaselineValue }).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        var (min, max) = (values.Min(), values.Max());
        var high = max > min ? max : (max > 0 ? max : 1);
        var low = min > 0 ? Math.Max(0, min - ((high - min) * 0.5)) : min;
        low = low < high ? low : 0;
        var svg = Open("endpoints", height, $"{ReportText.CheckName(check)}: canary vs baseline per endpoint");
        double X(double v) => labelWidth + ((v - low) / (high - low) * (Width - labelWidth - Right - 60));
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var y = Top + legend + (i * row);
            var name = ReportText.Endpoint(r.Endpoint);
            svg.Append(Invariant($"<text x=\"{labelWidth - 6:0.#}\" y=\"{y + 15:0.#}\" text-anchor=\"end\">{Text(name.Length > 32 ? name[..31] + "…" : name)}<title>{Text(name)}</title></text>"));
            Bar(svg, "canary", X(low), y + 3, X(r.Value), "#1565c0", $"{name} canary {ReportText.Number(r.Value)} (n={ReportText.Count(r.Requests)})");
            Bar(svg, "baseline", X(low), y + 13, X(r.BaselineValue), "#9e9e9e", $"{name} baseline {ReportText.Number(r.BaselineValue)}");
        }

        svg.Append(Invariant($"<text x=\"{X(low):0.#}\" y=\"{height - 8:0.#}\">{ReportText.Number(low)}</text><text x=\"{X(high):0.#}\" y=\"{height - 8:0.#}\" text-anchor=\"end\">{ReportText.Number(high)}</text>"));
        svg.Append(Invariant($"<rect x=\"{Width - 150:0.#}\" y=\"{Top:0.#}\" width=\"10\" height=\"8\" fill=\"#1565c0\"/><text x=\"{Width - 136:0.#}\" y=\"{Top + 8:0.#}\">canary</text>"));
        svg.Append(Invariant($"<rect x=\"{Width - 84:0.#}\" y=\"{Top:0.#}\" width=\"10\" height=\"8\" fill=\"#9e9e9e\"/><text x=\"{Width - 70:0.#}\" y=\"{Top + 8:0.#}\">baseline</text>"));
        return Close(svg);
    }

    /// <summary>The requested and effective canary weight over time (step lines, 0–100 %).</summary>
    public static string Weights(IReadOnlyList<ReportWeight> weights, DateTimeOffset from, DateTimeOffset to)
    {
        const double height = 160;
        var svg = Open("weights", height, "canary weight over time: requested and effective");
        // The axis ends at the first of 10, 20, 25, 50, 100 % above every weight, so that a 5 % step shows.
        var most = weights.Select(w => Math.Max(w.Weight, w.EffectiveWeight)).DefaultIfEmpty(0).Max();
        var top = new[] { 10.0, 20, 25, 50 }.FirstOrDefault(t => t >= most, 100);
        Axes(svg, height, 0, top, from, to, "%");
        var x = Scale(from, to);
        double Y(double v) => Top + ((top - Math.Min(v, top)) / top * (height - Top - Bottom));
        Step(svg, "requested", weights.Select(w => (w.At, (double)w.Weight)).ToArray(), to, x, Y, "#2e7d32", string.Empty);
        Step(svg, "effective", weights.Select(w => (w.At, w.EffectiveWeight)).ToArray(), to, x, Y, "#ef6c00", " stroke-dasharray=\"5 3\"");
        foreach (var w in weights)
        {
            svg.Append(Invariant($"<circle cx=\"{x(w.At):0.#}\" cy=\"{Y(w.Weight):0.#}\" r=\"3\" fill=\"#2e7d32\"><title>{ReportText.Time(w.At)} {w.Action}: {w.Weight} % (effective {ReportText.Number(w.EffectiveWeight)} %)</title></circle>"));
        }

        svg.Append(Invariant($"<text x=\"{Width - 190:0.#}\" y=\"{Top + 10:0.#}\" fill=\"#2e7d32\">— requested</text><text x=\"{Width - 100:0.#}\" y=\"{Top + 10:0.#}\" fill=\"#ef6c00\">- - effective</text>"));
        return Close(svg);
    }

    private static void Step(StringBuilder svg, string kind, (DateTimeOffset At, double Value)[] points, DateTimeOffset to, Func<DateTimeOffset, double> x, Func<double, double> y, string color, string extra)
    {
        if (points.Length == 0)
        {
            return;
        }

        var line = new StringBuilder();
        for (var i = 0; i < points.Length; i++)
        {
            var end = i + 1 < points.Length ? points[i + 1].At : to;
            line.Append(Invariant($"{x(points[i].At):0.#},{y(points[i].Value):0.#} {x(end):0.#},{y(points[i].Value):0.#} "));
        }

        svg.Append(Invariant($"<polyline class=\"{kind}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{extra} points=\"{line.ToString().Trim()}\"/>"));
    }

    private static void Bar(StringBuilder svg, string kind, double x0, double y, double x1, string color, string title)
    {
        if (!double.IsFinite(x1))
        {
            return;
        }

        svg.Append(Invariant($"<rect class=\"{kind}\" x=\"{x0:0.#}\" y=\"{y:0.#}\" width=\"{Math.Max(x1 - x0, 1):0.#}\" height=\"9\" fill=\"{color}\"><title>{Text(title)}</title></rect>"));
    }

    private static void Axes(StringBuilder svg, double height, double low, double high, DateTimeOffset from, DateTimeOffset to, string unit = "")
    {
        var bottom = height - Bottom;
        svg.Append(Invariant($"<line x1=\"{Left:0.#}\" y1=\"{Top:0.#}\" x2=\"{Left:0.#}\" y2=\"{bottom:0.#}\" stroke=\"#555\"/><line x1=\"{Left:0.#}\" y1=\"{bottom:0.#}\" x2=\"{Width - Right:0.#}\" y2=\"{bottom:0.#}\" stroke=\"#555\"/>"));
        svg.Append(Invariant($"<text x=\"{Left - 4:0.#}\" y=\"{Top + 8:0.#}\" text-anchor=\"end\">{ReportText.Number(high)}{unit}</text><text x=\"{Left - 4:0.#}\" y=\"{bottom:0.#}\" text-anchor=\"end\">{ReportText.Number(low)}{unit}</text>"));
        svg.Append(Invariant($"<text x=\"{Left:0.#}\" y=\"{height - 8:0.#}\">{from.UtcDateTime:HH:mm}</text><text x=\"{Width - Right:0.#}\" y=\"{height - 8:0.#}\" text-anchor=\"end\">{to.UtcDateTime:HH:mm} UTC</text>"));
    }

    private static Func<DateTimeOffset, double> Scale(DateTimeOffset from, DateTimeOffset to)
    {
        var span = (to - from).TotalSeconds;
        return span <= 0
            ? _ => (Left + Width - Right) / 2
            : at => Left + (Math.Clamp((at - from).TotalSeconds / span, 0, 1) * (Width - Left - Right));
    }

    private static (double Low, double High) Range(double[] values)
    {
        if (values.Length == 0)
        {
            return (0, 1);
        }

        var (low, high) = (values.Min(), values.Max());
        var pad = high > low ? (high - low) * 0.1 : Math.Max(Math.Abs(high) * 0.1, 0.05);
        // Values that cannot be negative (rates, evidence, latencies) keep the axis at or above 0.
        return (low >= 0 ? Math.Max(0, low - pad) : low - pad, high + pad);
    }

    private static StringBuilder Open(string chart, double height, string label) => new StringBuilder()
        .Append(Invariant($"<svg data-chart=\"{chart}\" role=\"img\" aria-label=\"{Text(label)}\" viewBox=\"0 0 {Width:0.#} {height:0.#}\" width=\"{Width:0.#}\" height=\"{height:0.#}\">"))
        .Append(Invariant($"<title>{Text(label)}</title>"));

    private static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static string Color(MeasurementPhase phase) => phase switch
    {
        MeasurementPhase.Successful => "#2e7d32",
        MeasurementPhase.Failed => "#c62828",
        MeasurementPhase.Inconclusive => "#f9a825",
        _ => "#616161",
    };

    private static string Text(string text) => WebUtility.HtmlEncode(ReportText.Clean(text));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
