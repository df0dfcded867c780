using System.Globalization;
using System.Net;
using System.Text;
using Canary.Analysis.Reports.Internal;

namespace Canary.Analysis.Reports;

/// <summary>
/// Writes a <see cref="CanaryReport"/> as one self-contained HTML page: inline CSS and inline SVG charts (each check's value at
/// every look against its threshold, canary vs baseline per endpoint, the weight timeline), no script and no remote resource
/// (a Content-Security-Policy forbids any), every label, name and reason HTML-escaped.
/// </summary>
public static class HtmlReportWriter
{
    private const string Style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:820px;color:#212121;padding:0 12px}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:20px 0 6px}
        table{border-collapse:collapse;margin:6px 0 10px;width:100%}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f5f5f5}
        td.n{text-align:right;font-variant-numeric:tabular-nums}
        .badge{display:inline-block;padding:2px 10px;border-radius:10px;color:#fff;font-weight:600}
        .Passed{background:#2e7d32}.Failed{background:#c62828}.Inconclusive{background:#f9a825;color:#212121}.Error{background:#6a1b9a}.Running{background:#546e7a}
        .reason{font-size:15px;margin:8px 0}.warn{background:#fff3e0;border-left:4px solid #ef6c00;padding:6px 10px}
        svg{display:block;margin:6px 0;font-size:11px;font-family:inherit;max-width:100%;height:auto}
        footer{margin-top:28px;color:#757575;font-size:12px}
        """;

    /// <summary>The report as an HTML page.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The HTML.</returns>
    public static string Write(CanaryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var from = report.StartedAt ?? report.Checks.SelectMany(c => c.History).Select(p => p.At).DefaultIfEmpty(report.GeneratedAt).Min();
        var to = report.GeneratedAt;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append(CultureInfo.InvariantCulture, $"<title>Canary report: {Text(report.Name)} — {Text(ReportText.Outcome(report))}</title><style>{Style}</style></head><body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Canary {(report.Kind == ReportKind.Rollout ? "rollout" : "judgement")} <code>{Text(report.Name)}</code></h1>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p><span class=\"badge {report.Status}\" data-status=\"{report.Status}\">{Text(ReportText.Outcome(report))}</span></p>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"reason\">{Text(report.Reason)}</p>\n");
        if (report.AnalysisSkipped)
        {
            html.Append("<p class=\"warn\">The analysis was skipped by a human: nothing in this report proves this release. See the manual commands below.</p>\n");
        }

        Facts(html, report);
        if (report.Weights.Count > 0)
        {
            html.Append("<h2>Canary weight</h2>\n").Append(SvgCharts.Weights(report.Weights, from, to)).Append('\n');
        }

        Checks(html, report);
        Overrides(html, report);
        foreach (var check in report.Checks)
        {
            Check(html, check, from, to);
        }

        html.Append(CultureInfo.InvariantCulture, $"<footer>Canary.Analysis report, schema {Text(report.Schema)}; made {Text(ReportText.Time(report.GeneratedAt))}.</footer>\n");
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void Facts(StringBuilder html, CanaryReport report)
    {
        html.Append("<table class=\"facts\">");
        Row(html, "Status", report.Status.ToString());
        if (report.Action is { } action)
        {
            Row(html, "Decision", $"{action} ({report.Cause})");
        }

        if (report.StartedAt is { } started)
        {
            Row(html, "Started", ReportText.Time(started));
        }

        Row(html, report.Kind == ReportKind.Rollout ? "Decided" : "Judged", ReportText.Time(report.GeneratedAt));
        if (report.Weight is { } weight)
        {
            Row(html, "Canary weight", string.Create(CultureInfo.InvariantCulture, $"{weight} % (effective {ReportText.Number(report.EffectiveWeight ?? weight)} %)"));
        }

        html.Append("</table>\n");
    }

    private static void Checks(StringBuilder html, CanaryReport report)
    {
        html.Append("<h2>Checks</h2>\n");
        if (report.Checks.Count == 0)
        {
            html.Append("<p>No check was judged.</p>\n");
            return;
        }

        html.Append("<table class=\"checks\"><tr><th>Check</th><th>Status</th><th>Value</th><th>Threshold</th><th>Looks</th><th>Reason</th></tr>");
        foreach (var check in report.Checks)
        {
            html.Append(string.Create(CultureInfo.InvariantCulture,
                $"<tr><td>{Text(ReportText.CheckName(check))}</td><td><span class=\"badge {check.Status}\">{check.Status}</span></td><td class=\"n\">{ReportText.Number(check.Value)}</td><td class=\"n\">{ReportText.Number(check.Threshold)}</td><td class=\"n\">{check.History.Count}</td><td>{Text(check.Reason)}</td></tr>"));
        }

        html.Append("</table>\n");
    }

    private static void Overrides(StringBuilder html, CanaryReport report)
    {
        if (report.Overrides.Count == 0)
        {
            return;
        }

        html.Append("<h2>Manual commands</h2>\n<table class=\"overrides\"><tr><th>When</th><th>Command</th><th>By</th><th>At step</th><th>Reason</th></tr>");
        foreach (var o in report.Overrides)
        {
            html.Append(string.Create(CultureInfo.InvariantCulture,
                $"<tr><td>{ReportText.Time(o.At)}</td><td>{o.Action}</td><td>{Text(o.By)}</td><td class=\"n\">{o.AtStep + 1}</td><td>{Text(o.Reason)}</td></tr>"));
        }

        html.Append("</table>\n");
    }

    private static void Check(StringBuilder html, ReportCheck check, DateTimeOffset from, DateTimeOffset to)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>{Text(ReportText.CheckName(check))} <span class=\"badge {check.Status}\">{check.Status}</span></h2>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>{Text(check.Message)}</p>\n");
        if (check.History.Count > 0)
        {
            html.Append("<h3>Value at each look against the threshold</h3>\n").Append(SvgCharts.Evidence(check, from, to)).Append('\n');
        }

        if (check.Endpoints.Count == 0)
        {
            return;
        }

        if (check.Endpoints.Any(e => double.IsFinite(e.BaselineValue)))
        {
            html.Append("<h3>Canary vs baseline per endpoint</h3>\n").Append(SvgCharts.Endpoints(check)).Append('\n');
        }

        html.Append("<table class=\"endpoints\"><tr><th>Endpoint</th><th>Status</th><th>Requests</th><th>Canary</th><th>Baseline</th><th>Weight</th><th>Limit</th><th>Evidence</th></tr>");
        foreach (var row in check.Endpoints)
        {
            html.Append(
                CultureInfo.InvariantCulture,
                $"<tr><td>{Text(ReportText.Endpoint(row.Endpoint))}</td><td>{ReportText.Status(row.Status)}</td><td class=\"n\">{ReportText.Count(row.Requests)}</td><td class=\"n\">{ReportText.Number(row.Value)}</td><td class=\"n\">{ReportText.Number(row.BaselineValue)}</td><td class=\"n\">{ReportText.Percent(row.Weight)}</td><td class=\"n\">{ReportText.Number(row.Limit)}</td><td class=\"n\">{Text(ReportText.Evidence(row))}</td></tr>");
        }

        html.Append("</table>\n");
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append(CultureInfo.InvariantCulture, $"<tr><th>{Text(name)}</th><td>{Text(value)}</td></tr>");

    private static string Text(string text) => WebUtility.HtmlEncode(ReportText.Clean(text));
}
