using System.Text.Json.Nodes;

namespace Canary.Analysis.Tests.Policies;

/// <summary>
/// Writes a saved state as format version 1 did (an independent, test-side writer of the old format): the last
/// measurement only, no range or check evidence, and the flags <c>analysisSkipped</c> and <c>terminated</c>.
/// </summary>
internal static class FormatV1
{
    public static string Downgrade(string json)
    {
        var v2 = JsonNode.Parse(json)!.AsObject();
        var skipped = false;
        foreach (var o in v2["overrides"]!.AsArray())
        {
            skipped = o!["action"]!.GetValue<string>() switch
            {
                "SkipAnalysis" => true,
                "Retry" => false,
                _ => skipped,
            };
        }

        var v1 = new JsonObject { ["version"] = 1 };
        foreach (var name in new[] { "policy", "status", "stepIndex", "stepStartedAt", "startedAt", "weight" })
        {
            v1[name] = v2[name]!.DeepClone();
        }

        v1["analysisSkipped"] = skipped;
        v1["overrides"] = v2["overrides"]!.DeepClone();
        v1["stepAnalysis"] = Run(v2["stepAnalysis"]);
        v1["backgroundAnalysis"] = Run(v2["backgroundAnalysis"]);
        v1["message"] = v2["message"]!.DeepClone();
        return v1.ToJsonString();
    }

    private static JsonObject? Run(JsonNode? v2)
    {
        if (v2 is null)
        {
            return null;
        }

        var metrics = new JsonArray();
        foreach (var m in v2["metrics"]!.AsArray())
        {
            var metric = new JsonObject();
            foreach (var name in new[] { "name", "phase", "message", "successful", "failed", "inconclusive", "errors", "consecutiveErrors", "consecutiveSuccesses" })
            {
                metric[name] = m![name]!.DeepClone();
            }

            var last = m!["history"]!.AsArray() is { Count: > 0 } history ? history[^1] : null;
            metric["lastPhase"] = last?["phase"]!.DeepClone();
            metric["lastFinishedAt"] = last?["finishedAt"]!.DeepClone();
            metric["lastValue"] = last?["value"]!.DeepClone() ?? JsonValue.Create("NaN");
            metric["lastReason"] = last?["reason"]!.DeepClone();
            metrics.Add((JsonNode)metric);
        }

        return new JsonObject
        {
            ["startedAt"] = v2["startedAt"]!.DeepClone(),
            ["background"] = v2["background"]!.DeepClone(),
            ["terminationReason"] = v2["terminationReason"]?.DeepClone(),
            ["terminated"] = v2["terminationReason"] is not null,
            ["phase"] = v2["phase"]!.DeepClone(),
            ["message"] = v2["message"]!.DeepClone(),
            ["metrics"] = metrics,
        };
    }
}
