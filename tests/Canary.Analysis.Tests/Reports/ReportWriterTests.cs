using System.Text.Json;
using System.Xml.Linq;
using Canary.Analysis.Reports;
using static Canary.Analysis.Tests.Reports.ReportFixtures;

namespace Canary.Analysis.Tests.Reports;

public sealed class ReportWriterTests
{
    [Fact]
    public async Task WriteAsync_WritesTheFourFormats_IntoANewDirectory_AsUtf8WithoutBom()
    {
        using var temp = ExternalTool.TempDirectory();
        var directory = Path.Combine(temp, "nested", "reports");
        var report = Report(await RunAsync([Inconclusive(Rows()), Fail(Rows(payRate: 0.75))]));

        var files = await ReportWriter.WriteAsync(report, directory);

        Assert.Equal(["report.json", "summary.md", "junit.xml", "report.html"], files.Select(Path.GetFileName));
        Assert.All(files, f => Assert.Equal(Path.GetFullPath(directory), Path.GetDirectoryName(f)));
        Assert.All(files, f => Assert.NotEqual(0xEF, File.ReadAllBytes(f)[0]));
        Assert.Equal(ReportJsonWriter.Write(report), await File.ReadAllTextAsync(files[0]));
        Assert.Equal(MarkdownReportWriter.Write(report), await File.ReadAllTextAsync(files[1]));
        Assert.Equal(JUnitReportWriter.Write(report), await File.ReadAllTextAsync(files[2]));
        Assert.Equal(HtmlReportWriter.Write(report), await File.ReadAllTextAsync(files[3]));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(files[0]));
        Assert.Equal("Failed", json.RootElement.GetProperty("status").GetString());
        // /api/pay, which breached its limit, and the rollback decision.
        Assert.Equal("2", XDocument.Load(files[2]).Root!.Attribute("failures")!.Value);
    }

    [Fact]
    public async Task WriteAsync_ReplacesAnEarlierReport()
    {
        using var directory = ExternalTool.TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(directory, "report.json"), new string('x', 1_000_000));
        var report = CanaryReport.FromResults("gate", Start, [Pass(Rows())]);

        await ReportWriter.WriteAsync(report, directory);

        Assert.Equal(ReportJsonWriter.Write(report), await File.ReadAllTextAsync(Path.Combine(directory, "report.json")));
        await Assert.ThrowsAsync<ArgumentException>(() => ReportWriter.WriteAsync(report, " "));
    }
}
