using System.Text.Json;

namespace Canary.Analysis.Tests.Observability;

/// <summary>The structure of docs/grafana/canary-rollouts.json (its queries run against a real Prometheus in the integration tests).</summary>
public sealed class GrafanaDashboardTests
{
    private static readonly string[] CurrentPanelTypes = ["timeseries", "stat", "table", "state-timeline", "status-history", "gauge", "bargauge", "text"];

    private static JsonElement Dashboard()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "docs", "grafana", "canary-rollouts.json");
            if (File.Exists(path))
            {
                using var document = JsonDocument.Parse(File.ReadAllText(path));
                return document.RootElement.Clone();
            }
        }

        throw new FileNotFoundException("docs/grafana/canary-rollouts.json");
    }

    private static List<JsonElement> Panels(JsonElement dashboard) => [.. dashboard.GetProperty("panels").EnumerateArray()];

    private static IEnumerable<string> Exprs(JsonElement dashboard) =>
        Panels(dashboard).SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!);

    [Fact]
    public void Dashboard_IsCurrent_SchemaVersionAtLeast39_OnlyCurrentPanelTypes()
    {
        var dashboard = Dashboard();

        Assert.True(dashboard.GetProperty("schemaVersion").GetInt32() >= 39);
        Assert.Equal("canary-rollouts", dashboard.GetProperty("uid").GetString());
        Assert.All(Panels(dashboard), p => Assert.Contains(p.GetProperty("type").GetString(), CurrentPanelTypes));
        Assert.Equal(Panels(dashboard).Count, Panels(dashboard).Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
    }

    [Fact]
    public void Variables_DatasourceNamespaceRolloutEndpoint_AndEveryQueryUsesThem()
    {
        var dashboard = Dashboard();
        var variables = dashboard.GetProperty("templating").GetProperty("list").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!, v => v);

        Assert.Equal(["datasource", "endpoint", "namespace", "rollout"], variables.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("datasource", "prometheus"), (variables["datasource"].GetProperty("type").GetString(), variables["datasource"].GetProperty("query").GetString()));
        Assert.All(Panels(dashboard), p => Assert.Equal("${datasource}", p.GetProperty("datasource").GetProperty("uid").GetString()));
        Assert.All(Panels(dashboard).SelectMany(p => p.GetProperty("targets").EnumerateArray()), t => Assert.Equal("${datasource}", t.GetProperty("datasource").GetProperty("uid").GetString()));
        Assert.All(Exprs(dashboard), e => Assert.Contains("namespace=~\"$namespace\", rollout=~\"$rollout\"", e, StringComparison.Ordinal));
        Assert.All(Exprs(dashboard).Where(e => e.Contains("canary_endpoint_", StringComparison.Ordinal)), e => Assert.Contains("endpoint=~\"$endpoint\"", e, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("canary_rollout_phase")]
    [InlineData("canary_rollout_step")]
    [InlineData("canary_rollout_weight_percent")]
    [InlineData("canary_check_verdict")]
    [InlineData("canary_check_value")]
    [InlineData("canary_check_threshold")]
    [InlineData("canary_check_evidence")]
    [InlineData("canary_check_evidence_boundary")]
    [InlineData("canary_endpoint_value")]
    [InlineData("canary_endpoint_limit")]
    [InlineData("canary_endpoint_requests")]
    [InlineData("canary_endpoint_weight")]
    [InlineData("canary_endpoint_evidence")]
    [InlineData("canary_endpoint_evidence_boundary")]
    [InlineData("canary_evidence_time_needed_seconds")]
    [InlineData("canary_decisions_total")]
    [InlineData("canary_provider_errors_total")]
    public void EveryStatusMetric_HasAPanel(string metric)
    {
        Assert.Contains(Exprs(Dashboard()), e => System.Text.RegularExpressions.Regex.IsMatch(e, $@"\b{metric}\{{"));
    }

    [Fact]
    public void ManualOverrides_AreAnnotations()
    {
        var annotation = Assert.Single(Dashboard().GetProperty("annotations").GetProperty("list").EnumerateArray(), a => a.GetProperty("name").GetString() == "Manual overrides");

        Assert.Contains("canary_manual_overrides_total{", annotation.GetProperty("expr").GetString(), StringComparison.Ordinal);
        Assert.Equal("${datasource}", annotation.GetProperty("datasource").GetProperty("uid").GetString());
        Assert.True(annotation.GetProperty("enable").GetBoolean());
    }
}
