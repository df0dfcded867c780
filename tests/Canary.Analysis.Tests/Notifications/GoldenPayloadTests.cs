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
