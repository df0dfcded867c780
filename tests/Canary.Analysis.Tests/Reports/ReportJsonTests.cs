using System.Text.Json;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Reports;
using static Canary.Analysis.Tests.Reports.ReportFixtures;

namespace Canary.Analysis.Tests.Reports;

public sealed class ReportJsonTests
{
    private static string SchemaPath => Path.Combine(ExternalTool.RepositoryRoot(), "docs", "schemas", "report-v1.json");

    [Fact]
    public void Json_NamesItsSchema_AndWritesNaNAsNull_InfinityAsAString()
    {
        var rows = new[] { Row("/a", EndpointStatus.Insufficient, double.NaN, limit: double.PositiveInfinity), Row("/b", EndpointStatus.Judged, 0.5, baseline: double.NegativeInfinity) };
        var report = CanaryReport.FromResults("gate", Start, [Inconclusive(rows)]);

        using var json = JsonDocument.Parse(ReportJsonWriter.Write(report));

        var root = json.RootElement;
        Assert.Equal(CanaryReport.SchemaUri, root.GetProperty("schema").GetString());
        Assert.Equal("Judgement", root.GetProperty("kind").GetString());
        Assert.Equal("Inconclusive", root.GetProperty("status").GetString());
        var check = root.GetProperty("checks")[0];
        Assert.Equal(JsonValueKind.Null, check.GetProperty("value").ValueKind);
        Assert.Equal(0.95, check.GetProperty("threshold").GetDouble());
        var a = check.GetProperty("endpoints")[0];
        Assert.Equal(JsonValueKind.Null, a.GetProperty("value").ValueKind);
        Assert.Equal("Infinity", a.GetProperty("limit").GetString());
        Assert.Equal("-Infinity", check.GetProperty("endpoints")[1].GetProperty("baselineValue").GetString());
        Assert.Equal("Insufficient", a.GetProperty("status").GetString());
    }

    [Fact]
    public void Json_WritesTextAsItIs_ButEscapesWhatIsUnsafeInHtml()
    {
        var report = CanaryReport.FromResults("café ≥ α", Start, [Fail(Row("/api/<pay>", EndpointStatus.LimitBreached, 0.5))]);

        var json = ReportJsonWriter.Write(report);

        Assert.Contains("\"name\": \"café ≥ α\"", json, StringComparison.Ordinal);
        Assert.Contains("/api/\\u003Cpay\\u003E", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal("/api/<pay>", document.RootElement.GetProperty("checks")[0].GetProperty("endpoints")[0].GetProperty("endpoint").GetString());
    }

    [Fact]
    public async Task Json_RoundTripsTheData_NotTheText()
    {
        var report = Report(await RunAsync([Inconclusive(Rows()), Fail(Rows(payRate: 0.75))]));

        using var json = JsonDocument.Parse(ReportJsonWriter.Write(report));

        var check = json.RootElement.GetProperty("checks")[0];
        Assert.Equal(["Inconclusive", "Failed"], check.GetProperty("history").EnumerateArray().Select(p => p.GetProperty("phase").GetString()));
        Assert.Equal(0.75, check.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("endpoint").GetString() == "/api/pay").GetProperty("value").GetDouble());
        Assert.Equal(20, json.RootElement.GetProperty("weights")[0].GetProperty("effectiveWeight").GetDouble());
        Assert.Equal("Rollback", json.RootElement.GetProperty("action").GetString());
        Assert.Equal(report.GeneratedAt, json.RootElement.GetProperty("generatedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Json_OfEveryKindOfReport_IsValidAgainstTheShippedSchema_ByAnIndependentValidator()
    {
        var hostile = Row(HostileLabel, EndpointStatus.Insufficient, double.NaN, limit: double.PositiveInfinity);
        var reports = new Dictionary<string, CanaryReport>
        {
            ["failed"] = Report(await RunAsync([Inconclusive(Rows()), Fail(Rows(payRate: 0.75))])),
            ["promoted"] = Report(await RunAsync([Pass(Rows())])),
            ["error"] = Report(await RunAsync([null])),
            ["paused"] = Report(await RunAsync([Pass(Rows()), Pass(Rows()), Pass(Rows()), Inconclusive(Rows())])),
            ["skipped"] = Report(await RunAsync([Inconclusive(Rows())], command: (r, now) => now == Start ? null : r.Apply(ManualAction.SkipAnalysis, "bob \"the builder\"", HostileLabel, now))),
            ["judgement"] = CanaryReport.FromResults(HostileLabel, Start, [Pass(Rows()), Inconclusive(hostile), Fail(Rows(0.75))]),
            ["empty"] = CanaryReport.FromResults("nothing", Start, []),
            ["sequential"] = CanaryReport.FromResults("gate", Start, [Sequential(), Pass(Rows())]),
        };
        using var directory = ExternalTool.TempDirectory();
        var files = new List<string>();
        foreach (var (name, report) in reports)
        {
            var file = Path.Combine(directory, name + ".json");
            await using (var stream = File.Create(file))
            {
                await ReportJsonWriter.WriteAsync(report, stream);
            }

            files.Add(file);
        }

        var (exit, output, error) = await ExternalTool.RunAsync("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Reports", "validate-json.py"), SchemaPath, .. files]);

        Assert.True(exit == 0, output + error);
        Assert.Equal("valid", output.Trim());
    }

    [Fact]
    public void Json_SequentialRow_RatesWithoutLimit_AndItsEvidenceAgainstItsBoundary_OtherRowsWithoutEvidence()
    {
        using var json = JsonDocument.Parse(ReportJsonWriter.Write(CanaryReport.FromResults("gate", Start, [Sequential(), Pass(Rows())])));
        var checks = json.RootElement.GetProperty("checks");

        var pay = checks[0].GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("endpoint").GetString() == "/api/pay");
        Assert.Equal(0.75, pay.GetProperty("value").GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, pay.GetProperty("limit").ValueKind);
        Assert.Equal("EValue", pay.GetProperty("evidenceKind").GetString());
        Assert.Equal(1 / (0.6 * 0.4 * 0.05 * 0.15), pay.GetProperty("evidenceBoundary").GetDouble(), 9);
        Assert.True(pay.GetProperty("evidenceValue").GetDouble() >= pay.GetProperty("evidenceBoundary").GetDouble());
        var floor = checks[1].GetProperty("endpoints")[0];
        Assert.Equal(("None", JsonValueKind.Null, JsonValueKind.Null), (floor.GetProperty("evidenceKind").GetString(), floor.GetProperty("evidenceValue").ValueKind, floor.GetProperty("evidenceBoundary").ValueKind));
    }

    [Fact]
    public void Json_Check_CarriesItsEvidenceAgainstItsBoundary_TheValueIsTheirRatio()
    {
        var sequential = Sequential();
        using var json = JsonDocument.Parse(ReportJsonWriter.Write(CanaryReport.FromResults("gate", Start, [sequential, Pass(Rows())])));
        var checks = json.RootElement.GetProperty("checks");

        // The sequential check: its combined e-value against 1/α (the reserve's), the value their ratio; the floor has none.
        var check = checks[0];
        Assert.Equal("EValue", check.GetProperty("evidenceKind").GetString());
        Assert.Equal(sequential.EvidenceValue, check.GetProperty("evidenceValue").GetDouble(), 9);
        Assert.Equal(1 / (0.05 * 0.15), check.GetProperty("evidenceBoundary").GetDouble(), 9);
        Assert.True(check.GetProperty("evidenceValue").GetDouble() >= check.GetProperty("evidenceBoundary").GetDouble());
        Assert.Equal(check.GetProperty("evidenceValue").GetDouble() / check.GetProperty("evidenceBoundary").GetDouble(), check.GetProperty("value").GetDouble(), 9);
        Assert.Equal(("None", JsonValueKind.Null, JsonValueKind.Null), (checks[1].GetProperty("evidenceKind").GetString(), checks[1].GetProperty("evidenceValue").ValueKind, checks[1].GetProperty("evidenceBoundary").ValueKind));
    }

    [Fact]
    public async Task Validator_RejectsAReportThatBreaksTheSchema()
    {
        // The control: the same validator refuses an unknown status, a missing member and a NaN literal.
        var json = ReportJsonWriter.Write(CanaryReport.FromResults("gate", Start, [Pass(Rows())]));
        using var directory = ExternalTool.TempDirectory();
        var broken = new[]
        {
            json.Replace("\"status\": \"Passed\"", "\"status\": \"Maybe\"", StringComparison.Ordinal),
            json.Replace("\"reason\":", "\"why\":", StringComparison.Ordinal),
            json.Replace("\"threshold\": 0.95", "\"threshold\": NaN", StringComparison.Ordinal),
        };
        foreach (var (text, i) in broken.Select((t, i) => (t, i)))
        {
            Assert.NotEqual(json, text);
            var file = Path.Combine(directory, $"broken-{i}.json");
            await File.WriteAllTextAsync(file, text);

            var (exit, output, error) = await ExternalTool.RunAsync("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Reports", "validate-json.py"), SchemaPath, file]);

            Assert.True(exit != 0, $"broken-{i} passed: {output}{error}");
        }
    }

    [Fact]
    public void Schema_ListsEveryMemberOfTheEnumsItWrites()
    {
        var schema = File.ReadAllText(SchemaPath);
        var names = Enum.GetNames<ReportStatus>().Concat(Enum.GetNames<ReportKind>()).Concat(Enum.GetNames<RolloutAction>())
            .Concat(Enum.GetNames<DecisionCause>()).Concat(Enum.GetNames<EndpointStatus>()).Concat(Enum.GetNames<MeasurementPhase>())
            .Concat(Enum.GetNames<ManualAction>());

        Assert.All(names, name => Assert.Contains($"\"{name}\"", schema, StringComparison.Ordinal));
    }
}
