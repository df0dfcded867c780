using System.Text;
using System.Text.RegularExpressions;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Reports;
using static Canary.Analysis.Tests.Reports.ReportFixtures;

namespace Canary.Analysis.Tests.Reports;

public sealed partial class MarkdownReportTests
{
    [Fact]
    public async Task Summary_ShowsTheOutcome_EveryCheckAgainstItsThreshold_AndTheEndpoints()
    {
        var report = Report(await RunAsync([Inconclusive(Rows()), Fail(Rows(payRate: 0.75))]));

        var md = MarkdownReportWriter.Write(report);

        Assert.StartsWith("## ❌ Canary rollout checkout: Rolled back\n", md, StringComparison.Ordinal);
        Assert.Contains("| Decision | Rollback (AnalysisFailed) |", md, StringComparison.Ordinal);
        Assert.Contains("| Canary weight | 0 % |", md, StringComparison.Ordinal);
        Assert.Contains("| fail-fast/success-rate | ❌ Fail | 0.8 | 0.95 | 2 | /api/pay: 75 % &lt; 95 % (n=20) |", md, StringComparison.Ordinal);
        Assert.Contains("| /api/pay | limit breached | 60 | 0.75 | 0.995 | 25 % | 0.9 |", md, StringComparison.Ordinal);
        Assert.Contains("| /api/cart | not enough data | 4 |", md, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", md, StringComparison.Ordinal);
    }

    [Fact]
    public void SequentialRow_ShowsRatesWithoutLimit_AndItsEvidenceAgainstItsBoundary()
    {
        var md = MarkdownReportWriter.Write(CanaryReport.FromResults("gate", Start, [Sequential()]));

        Assert.Contains("| Endpoint | Status | Requests | Canary | Baseline | Weight | Limit | Evidence |", md, StringComparison.Ordinal);
        Assert.Contains("| /api/pay | limit breached | 40 | 0.75 | 0.9947 | 40 % | n/a | evidence 9.171E+04 / boundary 555.6 |", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelsAndReasons_AreEscaped_SoTheyCannotBreakTheTable_InjectHtml_FormatOrMention()
    {
        var report = Report(await RunAsync(
            [Inconclusive(Row(HostileLabel, EndpointStatus.Insufficient, 0.5, 0.99))],
            command: (r, now) => now == Start + TimeSpan.FromMinutes(2) ? r.Apply(ManualAction.Abort, "@alice|<b>", "revert `now`\n# heading", now) : null));
        var judgement = CanaryReport.FromResults(HostileLabel, Start, [Fail(Row(HostileLabel, EndpointStatus.LimitBreached, 0.5, 0.99))]);

        foreach (var md in new[] { MarkdownReportWriter.Write(report), MarkdownReportWriter.Write(judgement) })
        {
            Assert.DoesNotContain("<script", md, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", md, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<b>", md, StringComparison.Ordinal);
            Assert.DoesNotContain("@team", md, StringComparison.Ordinal);
            Assert.DoesNotContain("@alice", md, StringComparison.Ordinal);
            Assert.DoesNotContain("\u0001", md, StringComparison.Ordinal);
            Assert.DoesNotContain("\n# heading", md, StringComparison.Ordinal);
            Assert.DoesNotMatch(UnescapedBacktick(), md);
            Assert.Contains("&lt;script&gt;", md, StringComparison.Ordinal);

            // Every table row keeps its column count: a pipe in a label is escaped, a newline in it does not end the row.
            foreach (var table in Tables(md))
            {
                var columns = Cells(table[0]);
                Assert.All(table, line => Assert.Equal(columns, Cells(line)));
            }
        }

        Assert.Contains("/api/&lt;script&gt;alert(1)&lt;/script&gt;\\|\\`x\\` &amp; \"q\" 'a' &lt;img src=http://127.0.0.1:9/x.png&gt; &#64;team \\*b\\* \\[l\\](http://127.0.0.1:9/) \uFFFD next",
            MarkdownReportWriter.Write(judgement), StringComparison.Ordinal);
    }

    [Fact]
    public void HugeReport_StaysUnderGitHubsLimit_WithANote()
    {
        var rows = Enumerable.Range(0, 40_000).Select(i => Row($"/api/endpoint-{i:D6}/{new string('x', 40)}", EndpointStatus.Judged, 0.99, 0.99)).ToArray();
        var report = CanaryReport.FromResults("big", Start, [Pass(rows), Fail(rows)]);

        var md = MarkdownReportWriter.Write(report);

        var bytes = Encoding.UTF8.GetByteCount(md);
        Assert.InRange(bytes, MarkdownReportWriter.GitHubStepSummaryLimit - 2_000, MarkdownReportWriter.GitHubStepSummaryLimit);
        Assert.Contains("> **Truncated:**", md, StringComparison.Ordinal);
        Assert.Contains("`report.json` has everything", md, StringComparison.Ordinal);
        // What matters most comes first and survives: the outcome and every check.
        Assert.Contains("| success-rate | ❌ Fail |", md, StringComparison.Ordinal);
        Assert.Contains("/api/endpoint-000000/", md, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/endpoint-039999/", md, StringComparison.Ordinal);
    }

    [Fact]
    public void SmallerLimit_IsKept_AndASmallReportIsNotTruncated()
    {
        var rows = Enumerable.Range(0, 500).Select(i => Row($"/e{i}", EndpointStatus.Judged, 0.99)).ToArray();
        var report = CanaryReport.FromResults("gate", Start, [Pass(rows)]);

        var small = MarkdownReportWriter.Write(report, 8192);
        var full = MarkdownReportWriter.Write(report);

        Assert.True(Encoding.UTF8.GetByteCount(small) <= 8192);
        Assert.Contains("> **Truncated:**", small, StringComparison.Ordinal);
        Assert.DoesNotContain("Truncated", full, StringComparison.Ordinal);
        Assert.Contains("| /e499 |", full, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => MarkdownReportWriter.Write(report, 100));
    }

    [Fact]
    public void OneHugeLabel_IsCut_NotTheWholeSummary()
    {
        var report = CanaryReport.FromResults("gate", Start, [Fail(Row("/" + new string('a', 2_000_000), EndpointStatus.LimitBreached, 0.5))]);

        var md = MarkdownReportWriter.Write(report);

        Assert.DoesNotContain("Truncated", md, StringComparison.Ordinal);
        Assert.Contains("a…", md, StringComparison.Ordinal);
        Assert.True(md.Length < 10_000);
    }

    private static IEnumerable<List<string>> Tables(string md)
    {
        var table = new List<string>();
        foreach (var line in md.Split('\n'))
        {
            if (line.StartsWith('|'))
            {
                table.Add(line);
            }
            else if (table.Count > 0)
            {
                yield return table;
                table = [];
            }
        }
    }

    private static int Cells(string line) => UnescapedPipe().Count(line);

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedPipe();

    [GeneratedRegex(@"(?<!\\)`")]
    private static partial Regex UnescapedBacktick();
}
