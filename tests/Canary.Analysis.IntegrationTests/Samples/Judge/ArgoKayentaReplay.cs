using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Canary.Analysis.IntegrationTests.Samples.Judge;

/// <summary>The parts of Argo Rollouts' <c>KayentaMetric</c> its provider uses.</summary>
public sealed record ArgoKayentaMetric(string Address, string Application, string CanaryConfigName, string MetricsAccountName, string ConfigurationAccountName, string StorageAccountName, long Pass, long Marginal)
{
    public IReadOnlyList<ArgoKayentaScope> Scopes { get; init; } = [];
}

/// <summary>A <c>KayentaScope</c> with its control and experiment <c>ScopeDetail</c>s (scope, region, step, start, end).</summary>
public sealed record ArgoKayentaScope(string Name, string ControlScope, string ExperimentScope, string Region, long Step, DateTimeOffset Start, DateTimeOffset End);

/// <summary>What Argo records for the measurement: its phase, value and (for errors) message.</summary>
public sealed record ArgoMeasurement(string Phase, string? Value, string? Message, JsonObject? LastResponse);

/// <summary>
/// Argo Rollouts' kayenta provider (<c>metricproviders/kayenta/kayenta.go</c>), call for call: the URLs built with its
/// format strings (no escaping, the storage account passed as <c>configurationAccountName</c> of the config lookup, as Argo
/// does), the body as Go's <c>json.Marshal</c> writes its structs, and the response read as Argo reads it
/// (<c>canaryExecutionId</c> through <c>%v</c>; <c>complete</c> must be a bool; <c>result.judgeResult.score.score</c> a
/// number, truncated to int, then <c>evaluateResult</c>). Argo waits 15 s between polls; the replay polls at once.
/// </summary>
public static class ArgoKayentaReplay
{
    public static string ConfigLookupUrl(ArgoKayentaMetric m) =>
        $"{m.Address}/canaryConfig?application={m.Application}&configurationAccountName={m.StorageAccountName}";

    public static string JobUrl(ArgoKayentaMetric m, string configId) =>
        $"{m.Address}/canary/{configId}?application={m.Application}&metricsAccountName={m.MetricsAccountName}&configurationAccountName={m.ConfigurationAccountName}&storageAccountName={m.StorageAccountName}";

    /// <summary>The body as Go marshals <c>AnalysisRequest</c>: field order of the structs, times in RFC 3339.</summary>
    public static string Body(ArgoKayentaMetric m)
    {
        static string Detail(string scope, string region, long step, DateTimeOffset start, DateTimeOffset end) =>
            $"{{\"scope\":{JsonSerializer.Serialize(scope)},\"location\":{JsonSerializer.Serialize(region)},\"step\":{step},\"start\":\"{Rfc3339(start)}\",\"end\":\"{Rfc3339(end)}\"}}";
        var scopes = string.Join(",", m.Scopes.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s =>
            $"{JsonSerializer.Serialize(s.Name)}:{{\"controlScope\":{Detail(s.ControlScope, s.Region, s.Step, s.Start, s.End)},\"experimentScope\":{Detail(s.ExperimentScope, s.Region, s.Step, s.Start, s.End)}}}"));
        return $"{{\"scopes\":{{{scopes}}},\"thresholds\":{{\"pass\":{m.Pass},\"marginal\":{m.Marginal}}}}}";
    }

    public static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Runs Argo's <c>Run</c> then <c>Resume</c> until complete (at most <paramref name="polls"/> polls).</summary>
    public static async Task<ArgoMeasurement> MeasureAsync(HttpClient client, ArgoKayentaMetric metric, int polls = 600)
    {
        // getCanaryConfigId
        using var lookup = await client.GetAsync(ConfigLookupUrl(metric));
        if ((int)lookup.StatusCode != 200)
        {
            return new ArgoMeasurement("Error", null, $"Invalid Response: HTTP {(int)lookup.StatusCode}", null);
        }

        var configs = JsonNode.Parse(await lookup.Content.ReadAsStringAsync())!.AsArray();
        // Go's json decoding matches field names case-insensitively; the judge writes them as Kayenta does (id, name).
        var configId = configs.Select(c => c!.AsObject()).FirstOrDefault(c => Field(c, "Name")?.GetValue<string>() == metric.CanaryConfigName) is { } found
            ? Field(found, "Id")!.GetValue<string>()
            : null;
        if (configId is null)
        {
            return new ArgoMeasurement("Error", null, "Canary config not found", null);
        }

        // Run
        using var content = new StringContent(Body(metric), Encoding.UTF8, "application/json");
        using var job = await client.PostAsync(JobUrl(metric, configId), content);
        if ((int)job.StatusCode != 200)
        {
            return new ArgoMeasurement("Error", null, "Invalid Response", JsonNode.Parse(await job.Content.ReadAsStringAsync()) as JsonObject);
        }

        var started = JsonNode.Parse(await job.Content.ReadAsStringAsync())!.AsObject();
        var executionId = started["canaryExecutionId"] is { } id ? GoPrint(id) : "<nil>";
        if (executionId.Length == 0)
        {
            return new ArgoMeasurement("Error", null, "Invalid canaryExecutionId", started);
        }

        // Resume, every 15 s in Argo
        for (var poll = 0; poll < polls; poll++)
        {
            using var score = await client.GetAsync($"{metric.Address}/canary/{executionId}");
            if ((int)score.StatusCode != 200)
            {
                return new ArgoMeasurement("Error", null, "Invalid Response", null);
            }

            var patch = JsonNode.Parse(await score.Content.ReadAsStringAsync())!.AsObject();
            if (patch["complete"] is not JsonValue complete || complete.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                return new ArgoMeasurement("Error", null, "Missing Complete Status", patch);
            }

            if (!complete.GetValue<bool>())
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
                continue;
            }

            if (patch["result"]?["judgeResult"]?["score"]?["score"] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
            {
                return new ArgoMeasurement("Error", null, "Missing Score", patch);
            }

            var result = (int)value.GetValue<double>();
            return new ArgoMeasurement(EvaluateResult(result, (int)metric.Pass, (int)metric.Marginal), result.ToString(CultureInfo.InvariantCulture), null, patch);
        }

        return new ArgoMeasurement("Running", null, "still incomplete", null);
    }

    /// <summary>kayenta.go's <c>evaluateResult</c>.</summary>
    public static string EvaluateResult(int score, int pass, int marginal) =>
        score >= pass ? "Successful" : score >= marginal ? "Inconclusive" : "Failed";

    private static JsonNode? Field(JsonObject o, string name) =>
        o.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string GoPrint(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
}
