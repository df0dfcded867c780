using System.Globalization;
using Canary.Analysis.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>
/// Turns a recognised query and its threshold into a check of the document: a success ratio into <c>success-rate</c> with
/// <c>minimumSuccessRate</c>, a latency quantile or mean into <c>latency</c> with <c>maximumLatency</c>, whatever the scale the
/// source wrote it in (fraction or percent, success or error, seconds or milliseconds).
/// </summary>
internal static class CheckMapper
{
    public static (CheckDraft? Check, string? Problem) Map(string name, RecognizedQuery query, TrafficConvention convention, PassCondition pass, string? window)
    {
        if (query.Scale == 0)
        {
            return (null, "its value does not depend on the traffic");
        }

        // value = Offset + Scale × x passes when value op T, i.e. x op' (T − Offset) / Scale, op' flipped when Scale < 0.
        var bound = Math.Round((pass.Threshold - query.Offset) / query.Scale, 12);
        var op = query.Scale > 0 ? pass.Operator : PassCondition.Flip(pass.Operator);
        if (query.Shape == QueryShape.ErrorCount)
        {
            return (null, "it counts errors per second, which grow with the canary's traffic: a threshold on it is not a success rate (write errors / requests)");
        }

        var fields = new List<KeyValuePair<string, string>>();
        if (query.Shape == QueryShape.SuccessRatio)
        {
            if (op is "<=" or "<")
            {
                return (null, $"its condition passes a canary whose success rate is at most {Number(bound)}: the check kinds fail low success rates");
            }

            if (bound <= 0 || bound > 1)
            {
                return (null, bound <= 0
                    ? $"its condition ({pass}) passes any success rate"
                    : $"its condition ({pass}) asks for a success rate above 100 %");
            }

            fields.Add(new("minimumSuccessRate", Number(bound)));
            return (new CheckDraft(name, "success-rate", [.. fields, .. Window(window)]), null);
        }

        if (op is ">=" or ">")
        {
            return (null, $"its condition passes a canary whose latency is at least {Number(bound)}: the latency check fails high latencies");
        }

        var seconds = bound * (convention.LatencyUnit == LatencyUnit.Milliseconds ? 0.001 : 1);
        var limit = TimeSpan.FromMilliseconds(Math.Round(seconds * 1000));
        if (limit <= TimeSpan.Zero)
        {
            return (null, $"its condition ({pass}) passes no latency");
        }

        fields.Add(query.Shape == QueryShape.LatencyQuantile ? new("quantile", Number(query.Quantile)) : new("measure", "mean"));
        fields.Add(new("maximumLatency", PrometheusDuration.Format(limit)));
        return (new CheckDraft(name, "latency", [.. fields, .. Window(window)]), null);
    }

    public static string Number(double value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    private static IEnumerable<KeyValuePair<string, string>> Window(string? window) => window is null ? [] : [new("window", window)];
}
