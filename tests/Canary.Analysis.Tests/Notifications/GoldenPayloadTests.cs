using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Analysis.Notifications;
using Canary.Analysis.Policies;
using static Canary.Analysis.Tests.Notifications.NotificationScenarios;

namespace Canary.Analysis.Tests.Notifications;

/// <summary>
/// Every sink's payload for the same decisions, compared structurally with a reviewed file under <c>Notifications/Golden</c>
/// (set <c>CANARY_UPDATE_GOLDEN=1</c> to rewrite them after a deliberate change, then review the diff).
/// </summary>
public sealed class GoldenPayloadTests
{
    private static readonly Uri Hook = new("https://hooks.example.com/services/T000/B000/secret-token");

    [Fact]
    public async Task CloudEvent_RolledBack()
    {
        using var sink = new CloudEventsSink(Hook);
        var json = sink.Render(await RolledBackNotificationAsync());

        AssertGolden("cloudevents-rolled-back.json", json);
        var root = JsonNode.Parse(json)!.AsObject();
        Assert.Equal("1.0", (string?)root["specversion"]);
        Assert.Equal("io.canary-analysis.rollout.rolled-back", (string?)root["type"]);
        Assert.Equal("/canary-analysis/shop/checkout", (string?)root["source"]);
        Assert.Equal("application/json", (string?)root["datacontenttype"]);
        Assert.False(string.IsNullOrEmpty((string?)root["id"]));
        Assert.True(DateTimeOffset.TryParse((string?)root["time"], out _));
    }

    [Fact]
    public async Task CloudEvent_SourceCanBeSet()
    {
        using var sink = new CloudEventsSink(Hook) { Source = "https://ci.example.com/canary" };

        var root = JsonNode.Parse(sink.Render(await RolledBackNotificationAsync()))!;

        Assert.Equal("https://ci.example.com/canary", (string?)root["source"]);
    }

    [Fact]
    public async Task Slack_RolledBack() => AssertGolden("slack-rolled-back.json", SlackSink.Render(await RolledBackNotificationAsync()));

    [Fact]
    public async Task Slack_EscapesMarkupInEndpointNamesAndReasons()
    {
        var n = await RolledBackNotificationAsync();
        n = n with { Endpoint = n.Endpoint! with { Name = "/a<b>&c" }, Reason = "<!channel> & co" };

        var root = JsonNode.Parse(SlackSink.Render(n))!;
        var texts = root["blocks"]!.AsArray().SelectMany(b => b!["fields"]?.AsArray().Select(f => f!["text"]!.GetValue<string>()) ?? [])
            .Append(root["blocks"]![1]!["text"]!["text"]!.GetValue<string>()).Append(root["text"]!.GetValue<string>()).ToList();

        Assert.Equal("&lt;!channel&gt; &amp; co", texts[^2]);
        Assert.Contains(texts, t => t.Contains("/a&lt;b&gt;&amp;c", StringComparison.Ordinal));
        Assert.Contains("/a&lt;b&gt;&amp;c", texts[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(texts, t => t.Contains('<', StringComparison.Ordinal) || t.Contains('>', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Teams_RolledBack()
    {
        var json = TeamsSink.Render(await RolledBackNotificationAsync());

        AssertGolden("teams-rolled-back.json", json);
        var root = JsonNode.Parse(json)!;
        Assert.Equal("message", (string?)root["type"]);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)root["attachments"]![0]!["contentType"]);
        Assert.Equal("AdaptiveCard", (string?)root["attachments"]![0]!["content"]!["type"]);
    }

    [Fact]
    public async Task Alertmanager_RolledBackFires()
    {
        using var sink = new AlertmanagerSink(new Uri("http://127.0.0.1:9093/"))
        {
            Labels = new Dictionary<string, string> { ["severity"] = "page", ["team"] = "payments" },
            FiringDuration = TimeSpan.FromHours(2),
        };
        var n = await RolledBackNotificationAsync();

        var json = sink.Render(n)!;

        AssertGolden("alertmanager-rolled-back.json", json);
        var alert = JsonNode.Parse(json)![0]!;
        Assert.Equal(n.At + TimeSpan.FromHours(2), alert["endsAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Alertmanager_PromotionResolvesTheSameAlert()
    {
        using var sink = new AlertmanagerSink(new Uri("http://127.0.0.1:9093/"));
        var rollout = new CanaryRollout(Policy(new FixedCheck(Passing())), Start);
        var waiting = (await RunAsync(rollout))[^1];
        var promoted = RolloutNotification.FromDecision(rollout.Apply(ManualAction.Promote, "bob", "looks good", waiting.At + TimeSpan.FromMinutes(1)), Context)!;
        var firing = JsonNode.Parse(sink.Render(await RolledBackNotificationAsync())!)![0]!;

        var json = sink.Render(promoted)!;

        AssertGolden("alertmanager-promoted.json", json);
        var resolved = JsonNode.Parse(json)![0]!;
        Assert.True(JsonNode.DeepEquals(firing["labels"], resolved["labels"]), "a resolution must carry the firing alert's labels");
        Assert.Equal(promoted.At, resolved["endsAt"]!.GetValue<DateTimeOffset>());
        Assert.Null(sink.Render(RolloutNotification.FromDecision(waiting, Context)!));
    }

    [Fact]
    public async Task SequentialCheck_RolledBack_EverySinkShowsRatesAgainstTheBaselineAndTheEvidenceAgainstItsBoundary()
    {
        var n = await SequentialRolledBackNotificationAsync();
        using var cloudEvents = new CloudEventsSink(Hook);
        using var alertmanager = new AlertmanagerSink(new Uri("http://127.0.0.1:9093/"));
        var cloudEvent = cloudEvents.Render(n);
        var alert = alertmanager.Render(n)!;

        AssertGolden("cloudevents-sequential-rolled-back.json", cloudEvent);
        AssertGolden("slack-sequential-rolled-back.json", SlackSink.Render(n));
        AssertGolden("teams-sequential-rolled-back.json", TeamsSink.Render(n));
        AssertGolden("alertmanager-sequential-rolled-back.json", alert);

        // The endpoint's value and the baseline's are success rates; no limit (never the e-value boundary); the e-value apart.
        var data = JsonNode.Parse(cloudEvent)!["data"]!;
        var endpoint = data["endpoint"]!;
        Assert.Equal("/api/pay", (string?)endpoint["name"]);
        Assert.Null(endpoint["limit"]);
        Assert.Equal(0.75, (double)endpoint["value"]!, 12);
        Assert.Equal(1 - (2 / 380.0), (double)endpoint["baselineValue"]!, 12);
        Assert.Equal("e-value", (string?)endpoint["evidenceKind"]);
        Assert.Equal(1 / (0.6 * 0.4 * 0.05 * 0.15), (double)endpoint["evidenceBoundary"]!, 9);
        Assert.StartsWith("/api/pay: 75 % against the baseline's 99.474 % (n=40); e-value ", (string?)data["finding"], StringComparison.Ordinal);
        Assert.Contains("; e-value ", (string?)data["finding"], StringComparison.Ordinal);
        Assert.EndsWith(" against its boundary 555.6", (string?)data["finding"], StringComparison.Ordinal);
        var annotations = JsonNode.Parse(alert)![0]!["annotations"]!;
        Assert.Null(annotations["limit"]);
        Assert.Equal(("555.6", "e-value"), ((string?)annotations["endpoint_evidence_boundary"], (string?)annotations["endpoint_evidence_kind"]));
    }

    [Fact]
    public async Task Teams_EscapesMarkdownInLabelValuesEndpointNamesAndReasons()
    {
        var n = await RolledBackNotificationAsync();
        n = n with { Rollout = "check_out*", Endpoint = n.Endpoint! with { Name = "/a_b*c*[x](http://evil)" }, Reason = "- **urgent** see [here](http://evil)\n1. step" };

        var card = JsonNode.Parse(TeamsSink.Render(n))!["attachments"]![0]!["content"]!;
        var blocks = card["body"]!.AsArray();
        var facts = blocks.Single(b => (string?)b!["type"] == "FactSet")!["facts"]!.AsArray().ToDictionary(f => (string)f!["title"]!, f => (string)f!["value"]!);

        Assert.StartsWith(@"shop/check\_out\* rolled back", (string?)blocks[0]!["text"], StringComparison.Ordinal);
        Assert.Equal("\\- \\*\\*urgent\\*\\* see \\[here\\](http://evil)\n1\\. step", (string?)blocks[1]!["text"]);
        Assert.StartsWith(@"/a\_b\*c\*\[x\](http://evil): 91.2 % against the limit 95 %", facts["Deciding endpoint"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain /api/pay (n=3)", "plain /api/pay (n=3)")]
    [InlineData("a_b*c", @"a\_b\*c")]
    [InlineData("[x](y)", @"\[x\](y)")]
    [InlineData(@"back\slash", @"back\\slash")]
    [InlineData("- item", @"\- item")]
    [InlineData("+ item", @"\+ item")]
    [InlineData("a - b + c", "a - b + c")]
    [InlineData("12. item", @"12\. item")]
    [InlineData("line\n  3. item", "line\n  3\\. item")]
    [InlineData("version 1.2", "version 1.2")]
    public void AdaptiveCardText_EscapesTheMarkdownSubset(string text, string expected) =>
        Assert.Equal(expected, Canary.Analysis.Notifications.Internal.AdaptiveCardText.Escape(text));

    [Theory]
    [InlineData("alertname")]
    [InlineData("rollout")]
    [InlineData("namespace")]
    [InlineData("bad-name")]
    [InlineData("__reserved")]
    public void Alertmanager_RefusesLabelsItCannotAdd(string name) =>
        Assert.Throws<ArgumentException>(() => new AlertmanagerSink(new Uri("http://127.0.0.1:9093/")) { Labels = new Dictionary<string, string> { [name] = "x" } });

    private static void AssertGolden(string name, string json, [CallerFilePath] string source = "")
    {
        var actual = JsonNode.Parse(json);
        if (Environment.GetEnvironmentVariable("CANARY_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(source)!, "Golden", name), actual!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
            return;
        }

        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Notifications", "Golden", name)));
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{name} differs from the golden file.\nActual:\n{actual!.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}");
    }
}
