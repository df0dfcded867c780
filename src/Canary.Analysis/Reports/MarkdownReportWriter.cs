using System.Globalization;
using Canary.Analysis.Reports.Internal;

namespace Canary.Analysis.Reports;

/// <summary>
/// Writes a <see cref="CanaryReport"/> as GitHub-flavoured Markdown for a CI step summary (<c>$GITHUB_STEP_SUMMARY</c>): the
/// outcome and its reason, every check against its threshold, the human commands, then each check's endpoints. Every label,
/// name and reason is escaped (<c>| ` &lt; &gt; &amp;</c>, Markdown syntax, mentions, newlines), and the text stays under
/// <see cref="GitHubStepSummaryLimit"/>: what does not fit is left out with a note.
/// </summary>
public static class MarkdownReportWriter
{
    /// <summary>GitHub's limit on one step's summary: 1 MiB.</summary>
    public const int GitHubStepSummaryLimit = 1024 * 1024;

    /// <summary>The smallest size <see cref="Write"/> accepts.</summary>
    public const int MinimumBytes = 4096;

    /// <summary>The report as Markdown of at most <paramref name="maximumBytes"/> UTF-8 bytes.</summary>
    /// <param name="report">The report.</param>
    /// <param name="maximumBytes">The most bytes to write; at least <see cref="MinimumBytes"/>.</param>
    /// <returns>The Markdown.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumBytes"/> is below <see cref="MinimumBytes"/>.</exception>
    public static string Write(CanaryReport report, int maximumBytes = GitHubStepSummaryLimit)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumBytes, MinimumBytes);
        var md = new MarkdownBudget(maximumBytes);
        md.Line($"## {Icon(report.Status)} Canary {(report.Kind == ReportKind.Rollout ? "rollout" : "judgement")} {MarkdownText.Escape(report.Name)}: {ReportText.Outcome(report)}");
        md.Line();
        md.Line(MarkdownText.Escape(report.Reason, 4 * MarkdownText.MaximumLength));
        md.Line();
        WriteFacts(md, report);
        WriteChecks(md, report);
        WriteOverrides(md, report);
        foreach (var check in report.Checks.Where(c => c.Endpoints.Count > 0))
        {
            WriteEndpoints(md, check);
        }

        return md.ToString();
    }

    private static void WriteFacts(MarkdownBudget md, CanaryReport report)
    {
        md.Line("| | |");
        md.Line("|---|---|");
        md.Line($"| Status | {ReportText.Status(report.Status)} |");
        if (report.Action is { } action)
        {
            md.Line($"| Decision | {action} ({report.Cause}) |");
        }

        if (report.StartedAt is { } started)
        {
            md.Line($"| Started | {ReportText.Time(started)} |");
        }

        md.Line($"| {(report.Kind == ReportKind.Rollout ? "Decided" : "Judged")} | {ReportText.Time(report.GeneratedAt)} |");
        if (report.Weight is { } weight)
        {
            var effective = report.EffectiveWeight is { } e && e != weight ? $" (effective {ReportText.Number(e)} %)" : string.Empty;
            md.Line(string.Create(CultureInfo.InvariantCulture, $"| Canary weight | {weight} %{effective} |"));
        }

        if (report.AnalysisSkipped)
        {
            md.Line("| Analysis | **skipped by a human**: nothing below proves this release |");
        }

        md.Line();
    }

    private static void WriteChecks(MarkdownBudget md, CanaryReport report)
    {
        if (report.Checks.Count == 0)
        {
            md.Line("### Checks");
            md.Line();
            md.Line("No check was judged.");
            md.Line();
            return;
        }

        Table(md, "Checks", "| Check | Status | Value | Threshold | Looks | Reason |", "|---|---|---:|---:|---:|---|", report.Checks.Select(check => string.Create(CultureInfo.InvariantCulture,
            $"| {MarkdownText.Escape(ReportText.CheckName(check))} | {Icon(check.Status)} {ReportText.Status(check.Status)} | {ReportText.Number(check.Value)} | {ReportText.Number(check.Threshold)} | {check.History.Count} | {MarkdownText.Escape(check.Reason)} |")));
    }

    private static void WriteOverrides(MarkdownBudget md, CanaryReport report)
    {
        if (report.Overrides.Count > 0)
        {
            Table(md, "Manual commands", "| When | Command | By | At step | Reason |", "|---|---|---|---:|---|", report.Overrides.Select(command => string.Create(CultureInfo.InvariantCulture,
                $"| {ReportText.Time(command.At)} | {command.Action} | {MarkdownText.Escape(command.By)} | {command.AtStep + 1} | {MarkdownText.Escape(command.Reason)} |")));
        }
    }

    private static void WriteEndpoints(MarkdownBudget md, ReportCheck check) =>
        Table(md, $"{MarkdownText.Escape(ReportText.CheckName(check))}: endpoints", "| Endpoint | Status | Requests | Canary | Baseline | Weight | Limit | Evidence |", "|---|---|---:|---:|---:|---:|---:|---:|", check.Endpoints.Select(row =>
            $"| {MarkdownText.Escape(ReportText.Endpoint(row.Endpoint))} | {ReportText.Status(row.Status)} | {ReportText.Count(row.Requests)} | {ReportText.Number(row.Value)} | {ReportText.Number(row.BaselineValue)} | {ReportText.Percent(row.Weight)} | {ReportText.Number(row.Limit)} | {ReportText.Evidence(row)} |"));

    /// <summary>A titled table, row by row (rows are made only while they fit).</summary>
    private static void Table(MarkdownBudget md, string title, string header, string alignment, IEnumerable<string> rows)
    {
        md.Line($"### {title}");
        md.Line();
        md.Line(header);
        md.Line(alignment);
        foreach (var row in rows)
        {
            if (md.Truncated)
            {
                md.Line();
                continue;
            }

            md.Line(row);
        }

        md.Line();
    }

    private static string Icon(ReportStatus status) => status switch
    {
        ReportStatus.Passed => "✅",
        ReportStatus.Failed => "❌",
        ReportStatus.Error => "🛑",
        ReportStatus.Inconclusive => "⚠️",
        _ => "⏳",
    };
}
