using System.Xml.Linq;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Reports;
using static Canary.Analysis.Tests.Reports.ReportFixtures;

namespace Canary.Analysis.Tests.Reports;

public sealed class JUnitReportTests
{
    private static string XsdPath => Path.Combine(ExternalTool.RepositoryRoot(), "docs", "schemas", "junit.xsd");

    [Fact]
    public void EachCheckTimesEndpoint_IsATestCase_AndOnlyEvidenceCountsAsPassed()
    {
        var report = CanaryReport.FromResults("gate", Start, [Fail(Rows(payRate: 0.75)), Inconclusive(Rows()), Pass(Rows())]);

        var suites = Parse(JUnitReportWriter.Write(report)).Elements("testsuite").ToList();

        Assert.Equal(3, suites.Count);
        // A failed check: the breaching endpoint fails, the endpoint judged within its limit passes, no data or excluded is skipped.
        Assert.Equal(
            [("/api/search", "passed"), ("/api/pay", "failure"), ("/api/cart", "skipped"), ("/health", "skipped")],
            Outcomes(suites[0]));
        Assert.Contains("limit breached", suites[0].Elements("testcase").ElementAt(1).Element("failure")!.Attribute("message")!.Value, StringComparison.Ordinal);
        // Inconclusive is never passed.
        Assert.All(Outcomes(suites[1]), o => Assert.Equal("skipped", o.Outcome));
        // A passed check: its judged endpoints pass, the endpoints it could not judge are still skipped.
        Assert.Equal([("/api/search", "passed"), ("/api/pay", "passed"), ("/api/cart", "skipped"), ("/health", "skipped")], Outcomes(suites[2]));
        Assert.Equal(("4", "1", "0", "2"), Counts(suites[0]));
        Assert.Equal(("12", "1", "0", "8"), Counts(suites[0].Parent!));
        Assert.All(suites[0].Elements("testcase"), c => Assert.Equal("success-rate", c.Attribute("classname")!.Value));
    }

    [Fact]
    public void SequentialCheck_FailureDetails_RatesWithoutLimit_AndTheEvidenceAgainstItsBoundary()
    {
        var suite = Parse(JUnitReportWriter.Write(CanaryReport.FromResults("gate", Start, [Sequential()]))).Element("testsuite")!;

        var failure = suite.Elements("testcase").Single(c => c.Attribute("name")!.Value == "/api/pay").Element("failure")!;
        Assert.StartsWith("endpoint /api/pay: limit breached; canary 0.75 (n=40), baseline 0.9947, weight 40 %, limit n/a, evidence 9.171E+04 / boundary 555.6\n", failure.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void FailedCheck_NoEndpointBreachedItsOwnLimit_EveryJudgedEndpointFails()
    {
        // A weighted rate below the floor with no per-endpoint limit: the failure is the whole check's, judged endpoints share it.
        var report = CanaryReport.FromResults("gate", Start, [Fail(Row("/a", EndpointStatus.Judged, 0.9), Row("/b", EndpointStatus.Judged, 0.7), Row("/c", EndpointStatus.Insufficient, 1))]);

        var suite = Parse(JUnitReportWriter.Write(report)).Elements("testsuite").Single();

        Assert.Equal([("/a", "failure"), ("/b", "failure"), ("/c", "skipped")], Outcomes(suite));
    }

    [Fact]
    public void FailedCheck_WithoutAFailingEndpoint_StillFails()
    {
        // Failed on the whole (e.g. fails whatever the endpoints short of data would show): a test case for the check carries it.
        var report = CanaryReport.FromResults("gate", Start, [Fail(Row("/a", EndpointStatus.Insufficient, 0.5), Row("/b", EndpointStatus.Excluded, 1)), Fail()]);

        var suites = Parse(JUnitReportWriter.Write(report)).Elements("testsuite").ToList();

        Assert.Equal([("/a", "skipped"), ("/b", "skipped"), ("(whole check)", "failure")], Outcomes(suites[0]));
        Assert.Equal([("(whole check)", "failure")], Outcomes(suites[1]));
    }

    [Fact]
    public async Task ProviderError_IsAnError_AndTheDecisionIsATestCase()
    {
        var report = Report(await RunAsync([Pass(Rows()), null]));

        var suites = Parse(JUnitReportWriter.Write(report)).Elements("testsuite").ToList();

        Assert.Equal([("(whole check)", "error")], Outcomes(suites[0]));
        Assert.Contains("connection refused", suites[0].Descendants("error").Single().Attribute("message")!.Value, StringComparison.Ordinal);
        Assert.Equal("rollout", suites[^1].Attribute("name")!.Value);
        Assert.Equal([("decision", "error")], Outcomes(suites[^1]));
    }

    [Fact]
    public async Task PromotionWithTheAnalysisSkipped_IsNotAPass()
    {
        var report = Report(await RunAsync(
            [Inconclusive(Rows())],
            command: (r, now) => now == Start + TimeSpan.FromMinutes(1) ? r.Apply(ManualAction.SkipAnalysis, "alice", "urgent fix", now) : null));

        var decision = Parse(JUnitReportWriter.Write(report)).Elements("testsuite").Last();

        Assert.Equal([("decision", "skipped")], Outcomes(decision));
        Assert.Contains("SkipAnalysis by alice: urgent fix", decision.Descendants("skipped").Single().Attribute("message")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryKindOfReport_IsValidJUnit_ForXmllint_EvenWithHostileLabels()
    {
        var hostile = Row(HostileLabel + "\uD800 \u0000 ]]>", EndpointStatus.LimitBreached, 0.5, 0.99);
        var reports = new[]
        {
            Report(await RunAsync([Inconclusive(Rows()), Fail(Rows(payRate: 0.75))])),
            Report(await RunAsync([Pass(Rows())])),
            Report(await RunAsync([null])),
            CanaryReport.FromResults(HostileLabel, Start, [Fail(hostile), Inconclusive(hostile), Pass()]),
            CanaryReport.FromResults("nothing", Start, []),
        };
        using var directory = ExternalTool.TempDirectory();
        var files = new List<string>();
        foreach (var (report, i) in reports.Select((r, i) => (r, i)))
        {
            var file = Path.Combine(directory, $"junit-{i}.xml");
            await File.WriteAllTextAsync(file, JUnitReportWriter.Write(report));
            files.Add(file);
        }

        var (exit, _, error) = await ExternalTool.RunAsync("/usr/bin/xmllint", ["--noout", "--schema", XsdPath, .. files]);

        Assert.True(exit == 0, error);
        Assert.Equal(files.Count, error.Split('\n').Count(l => l.EndsWith(" validates", StringComparison.Ordinal)));
        var name = Parse(await File.ReadAllTextAsync(files[3])).Descendants("testcase").First().Attribute("name")!.Value;
        Assert.StartsWith("/api/<script>alert(1)</script>|`x` & \"q\" 'a' <img", name, StringComparison.Ordinal);
        Assert.EndsWith("\uFFFD\nnext\uFFFD \uFFFD ]]>", name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Xmllint_RejectsJUnitThatBreaksTheSchema()
    {
        // The control: the schema is strict enough to refuse a test case without its class name or with an unknown outcome.
        var xml = JUnitReportWriter.Write(CanaryReport.FromResults("gate", Start, [Fail(Rows(0.75))]));
        using var directory = ExternalTool.TempDirectory();
        var broken = new[]
        {
            xml.Replace(" classname=\"success-rate\"", string.Empty, StringComparison.Ordinal),
            xml.Replace("<failure ", "<flaky ", StringComparison.Ordinal).Replace("</failure>", "</flaky>", StringComparison.Ordinal),
            xml.Replace("failures=\"1\"", "failures=\"one\"", StringComparison.Ordinal),
        };
        foreach (var (text, i) in broken.Select((t, i) => (t, i)))
        {
            Assert.NotEqual(xml, text);
            var file = Path.Combine(directory, $"broken-{i}.xml");
            await File.WriteAllTextAsync(file, text);

            var (exit, _, error) = await ExternalTool.RunAsync("/usr/bin/xmllint", ["--noout", "--schema", XsdPath, file]);

            Assert.True(exit != 0, $"broken-{i} validated: {error}");
        }
    }

    private static XElement Parse(string xml) => XDocument.Parse(xml).Root!;

    private static List<(string Name, string Outcome)> Outcomes(XElement suite) =>
        [.. suite.Elements("testcase").Select(c => (c.Attribute("name")!.Value, c.Elements().FirstOrDefault()?.Name.LocalName ?? "passed"))];

    private static (string, string, string, string) Counts(XElement suite) =>
        (suite.Attribute("tests")!.Value, suite.Attribute("failures")!.Value, suite.Attribute("errors")!.Value, suite.Attribute("skipped")!.Value);
}
