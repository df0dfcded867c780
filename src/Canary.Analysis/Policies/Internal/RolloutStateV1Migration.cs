using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Canary.Analysis.Policies.Internal;

/// <summary>
/// Turns a saved state of format version 1 (already checked against its shape) into the current format: the last
/// measurement becomes a history of one (started when it finished: version 1 kept one time), the range of values is
/// unknown (NaN, as version 1 resumed it), no check saved evidence, and the flags that are now derived —
/// <c>analysisSkipped</c> (from the overrides) and a run's <c>terminated</c> (from its termination reason) — must agree
/// with what they are derived from, else the state is refused.
/// </summary>
internal static class RolloutStateV1Migration
{
    public static string Migrate(JsonElement root)
    {
        var state = JsonNode.Parse(root.GetRawText())!.AsObject();
        var overrides = state["overrides"]!.AsArray();
        var skipped = false;
        foreach (var o in overrides)
        {
            var action = o!["action"]!.GetValue<string>();
            skipped = action switch
            {
                nameof(ManualAction.SkipAnalysis) => true,
                nameof(ManualAction.Retry) => false,
                _ => skipped,
            };
        }

        if (state["analysisSkipped"]!.GetValue<bool>() != skipped)
        {
            throw RolloutStateJsonSchema.Invalid("$.analysisSkipped", skipped
                ? "is false, but a SkipAnalysis command since the last retry is recorded in $.overrides"
                : "is true, but no SkipAnalysis command since the last retry is recorded in $.overrides");
        }

        state.Remove("analysisSkipped");
        state["version"] = RolloutState.CurrentVersion;
        MigrateRun(state, "stepAnalysis");
        MigrateRun(state, "backgroundAnalysis");
        var json = state.ToJsonString();
        using (var migrated = JsonDocument.Parse(json))
        {
            RolloutStateJsonSchema.ValidateCurrent(migrated.RootElement);
        }

        return json;
    }

    private static void MigrateRun(JsonObject state, string name)
    {
        if (state[name] is not JsonObject run)
        {
            return;
        }

        var path = $"$.{name}";
        if (run["terminated"]!.GetValue<bool>() != run["terminationReason"] is not null)
        {
            throw RolloutStateJsonSchema.Invalid($"{path}.terminated", $"is {(run["terminated"]!.GetValue<bool>() ? "true" : "false")}, but {path}.terminationReason is set exactly when the run was terminated");
        }

        run.Remove("terminated");
        var metrics = run["metrics"]!.AsArray();
        for (var i = 0; i < metrics.Count; i++)
        {
            var metric = metrics[i]!.AsObject();
            var metricPath = string.Create(CultureInfo.InvariantCulture, $"{path}.metrics[{i}]");
            var (phase, at, value, reason) = (metric["lastPhase"], metric["lastFinishedAt"], metric["lastValue"], metric["lastReason"]);
            var history = new JsonArray();
            if (phase is null)
            {
                if (at is not null || reason is not null || !(value is JsonValue v && v.TryGetValue<string>(out var text) && text == "NaN"))
                {
                    throw RolloutStateJsonSchema.Invalid($"{metricPath}.lastPhase", "is null, but a last time, reason or value is recorded");
                }
            }
            else
            {
                if (at is null || reason is null)
                {
                    throw RolloutStateJsonSchema.Invalid(at is null ? $"{metricPath}.lastFinishedAt" : $"{metricPath}.lastReason", "is null, but a last measurement has a time and a reason");
                }

                history.Add((JsonNode)new JsonObject
                {
                    ["phase"] = phase.DeepClone(),
                    ["startedAt"] = at.DeepClone(),
                    ["finishedAt"] = at.DeepClone(),
                    ["value"] = value!.DeepClone(),
                    ["reason"] = reason.DeepClone(),
                });
            }

            foreach (var old in new[] { "lastPhase", "lastFinishedAt", "lastValue", "lastReason" })
            {
                metric.Remove(old);
            }

            metric["minimumValue"] = JsonValue.Create("NaN");
            metric["maximumValue"] = JsonValue.Create("NaN");
            metric["history"] = history;
            metric["checkEvidence"] = null;
        }
    }
}
