using System.Text.Json;
using System.Xml.Linq;
using Canary.Analysis.Demo;
using Canary.Analysis.Reports;

namespace Canary.Analysis.IntegrationTests.Samples;

/// <summary><c>--report DIR</c>: the demo writes its run's (or its recorded judgement's) reports in the four formats.</summary>
public sealed class DemoReportTests
{
    [Fact]
    public void CommandLine_Report_ParsedWithEitherMode()
    {
        Assert.Equal("out", DemoCommandLine.Parse(["--report", "out"], "root").ReportDirectory);
        Assert.Equal("out", DemoCommandLine.Parse(["--recorded", "--report", "out"], "root").ReportDirectory);
        Assert.Null(DemoCommandLine.Parse(["--healthy"], "root").ReportDirectory);
        Assert.Throws<FormatException>(() => DemoCommandLine.Parse(["--report"], "root"));
        Assert.Throws<FormatException>(() => DemoCommandLine.Parse(["--report", "--healthy"], "root"));
    }

    [Fact]
    public async Task LiveDemo_Report_ShowsTheRollbackLookByLook()
    {
        using var output = new StringWriter();
        var result = await LiveDemo.RunAsync(new LiveDemoOptions(), output);
        var directory = Path.Combine(Path.GetTempPath(), "canary-demo-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            await DemoReports.WriteAsync(result.Report, directory, output);

            Assert.Contains($"written to {directory}", output.ToString(), StringComparison.Ordinal);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "report.json")));
            var root = json.RootElement;
            Assert.Equal(("Rollout", "Failed", "Rollback"), (root.GetProperty("kind").GetString(), root.GetProperty("status").GetString(), root.GetProperty("action").GetString()));
            var errorRate = root.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "error-rate");
            Assert.Equal(("fail-fast", "Failed"), (errorRate.GetProperty("step").GetString(), errorRate.GetProperty("status").GetString()));
            // One look a minute until the rollback, each against the boundary 1.
            Assert.Equal((int)result.Simulated.TotalMinutes, errorRate.GetProperty("history").GetArrayLength());
            Assert.All(errorRate.GetProperty("history").EnumerateArray(), p => Assert.Equal(1, p.GetProperty("threshold").GetDouble()));
            Assert.Equal("LimitBreached", errorRate.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("endpoint").GetString() == "/api/pay").GetProperty("status").GetString());
            Assert.Equal([5, 0], root.GetProperty("weights").EnumerateArray().Select(w => w.GetProperty("weight").GetInt32()));

            var junit = XDocument.Load(Path.Combine(directory, "junit.xml")).Root!;
            var pay = junit.Descendants("testcase").Single(c => c.Attribute("classname")!.Value == "fail-fast/error-rate" && c.Attribute("name")!.Value == "/api/pay");
            Assert.NotNull(pay.Element("failure"));
            Assert.NotNull(junit.Descendants("testcase").Single(c => c.Attribute("classname")!.Value == "fail-fast/success-rate" && c.Attribute("name")!.Value == "/api/pay").Element("skipped"));

            Assert.StartsWith("## ❌ Canary rollout demo-fail-fast: Rolled back", await File.ReadAllTextAsync(Path.Combine(directory, "summary.md")), StringComparison.Ordinal);
            var html = await File.ReadAllTextAsync(Path.Combine(directory, "report.html"));
            Assert.All(["weights", "evidence", "endpoints"], chart => Assert.Contains($"data-chart=\"{chart}\"", html, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task RecordedDemo_Report_IsASingleJudgement()
    {
        using var output = new StringWriter();
        var directory = Path.Combine(Path.GetTempPath(), "canary-demo-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            await RecordedDemo.RunAsync(null, output, directory);

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, ReportWriter.JsonFileName)));
            Assert.Equal(("Judgement", "Failed"), (json.RootElement.GetProperty("kind").GetString(), json.RootElement.GetProperty("status").GetString()));
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("checks")[0].GetProperty("step").ValueKind);
            Assert.All(ReportWriterFiles, f => Assert.True(File.Exists(Path.Combine(directory, f)), f));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static readonly string[] ReportWriterFiles = [ReportWriter.JsonFileName, ReportWriter.MarkdownFileName, ReportWriter.JUnitFileName, ReportWriter.HtmlFileName];
}
