using System.Text.Json;
using System.Text.RegularExpressions;
using Canary.Analysis.Demo;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Observability;
using Canary.Analysis.Policies;

namespace Canary.Analysis.IntegrationTests.Observability;

/// <summary>
/// The Grafana dashboard (docs/grafana/canary-rollouts.json) against the demo's status metrics in a real Prometheus: the
/// demo's failing run (each simulated minute's exposition text, backfilled with promtool) and a simulated rollout a human
/// promotes (the overrides' annotation); every panel's query, with the dashboard's variables substituted, must return data.
/// </summary>
public sealed class DashboardQueryTests
{
    private const string ManualNamespace = "demo-manual";

    [PrometheusFact]
    public async Task EveryPanelQuery_ReturnsData_OnTheDemosStatusMetrics()
    {
        var failing = new List<(DateTimeOffset At, string Text)>();
        var metricsOut = Path.Combine(Path.GetTempPath(), $"canary-demo-{Guid.NewGuid():N}.prom");
        using var output = new StringWriter();
        var failed = await LiveDemo.RunAsync(new LiveDemoOptions { MetricsOut = metricsOut, MetricsSnapshot = (at, text) => failing.Add((at, text)) }, output);
        var manual = await ManualRunAsync(failing[0].At);

        // --metrics-out wrote the last snapshot: the rolled-back rollout, its series kept for the export.
        Assert.Equal(RolloutAction.Rollback, failed.Decision.Action);
        var written = await File.ReadAllTextAsync(metricsOut);
        File.Delete(metricsOut);
        Assert.Equal(failing[^1].Text, written);
        Assert.Contains("canary_rollout_phase{rollout=\"demo-fail-fast\",namespace=\"demo\",phase=\"aborted\"} 1", written, StringComparison.Ordinal);
        Assert.Contains($"written to {metricsOut}", output.ToString(), StringComparison.Ordinal);

        var last = new[] { failing[^1].At, manual[^1].At }.Max();
        await using var server = await PrometheusServer.StartAsync(
            StatusMetricsHistory.ToOpenMetrics([.. failing, .. manual]),
            new PrometheusServerOptions { ReadinessTime = last, ReadinessQuery = "canary_rollout_step" });
        using var client = new RawPrometheusClient(server.Address);
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(DashboardFile.Path));

        var queried = 0;
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                var expr = Substitute(target.GetProperty("expr").GetString()!, "demo", "demo-fail-fast", "/api/pay");
                Assert.True(await HasDataAsync(client, expr, failing), $"panel '{panel.GetProperty("title").GetString()}': no data for {expr}");
                queried++;
            }
        }

        var overrides = dashboard.RootElement.GetProperty("annotations").GetProperty("list").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "Manual overrides");
        var annotation = Substitute(overrides.GetProperty("expr").GetString()!, ManualNamespace, "demo-fail-fast", ".*");
        Assert.True(await HasDataAsync(client, annotation, manual), $"no override annotation: {annotation}");
        Assert.False(await HasDataAsync(client, Substitute(overrides.GetProperty("expr").GetString()!, "demo", "demo-fail-fast", ".*"), failing), "an annotation without an override");
        Assert.True(queried >= 15, $"{queried} queries");
    }

    /// <summary>A simulated rollout in <see cref="ManualNamespace"/> that a human promotes at its fifth minute: each minute's exposition text.</summary>
    private static async Task<List<(DateTimeOffset At, string Text)>> ManualRunAsync(DateTimeOffset start)
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var rollout = new CanaryRollout(new CanaryPolicy("demo-fail-fast", [CanaryStep.SetWeight(5), CanaryStep.Pause(TimeSpan.FromMinutes(30))]), start);
        new RolloutStatusMetrics(registry) { RemoveWhenEnded = false }.Track(rollout, ManualNamespace);
        var snapshots = new List<(DateTimeOffset At, string Text)>();
        for (var minute = 0; minute <= 10; minute++)
        {
            var now = start + TimeSpan.FromMinutes(minute);
            if (minute == 5)
            {
                rollout.Apply(ManualAction.Promote, "alice", "urgent fix", now);
            }
            else
            {
                await rollout.TickUntilSettledAsync(now);
            }

            using var stream = new MemoryStream();
            await registry.CollectAndExportAsTextAsync(stream, Prometheus.ExpositionFormat.PrometheusText);
            snapshots.Add((now, System.Text.Encoding.UTF8.GetString(stream.ToArray())));
        }

        return snapshots;
    }

    private static string Substitute(string expr, string @namespace, string rollout, string endpoint) =>
        Regex.Replace(expr.Replace("$__rate_interval", "2m", StringComparison.Ordinal), @"\$(namespace|rollout|endpoint)\b", m => m.Groups[1].Value switch
        {
            "namespace" => @namespace,
            "rollout" => rollout,
            _ => endpoint,
        });

    /// <summary>Whether the query returns a sample at one of the run's minutes.</summary>
    private static async Task<bool> HasDataAsync(RawPrometheusClient client, string expr, List<(DateTimeOffset At, string Text)> run)
    {
        foreach (var at in run.Select(s => s.At).Distinct())
        {
            if ((await client.QueryAsync(expr, at)).Count > 0)
            {
                return true;
            }
        }

        return false;
    }
}
