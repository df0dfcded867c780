using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics.Recorded;
using Canary.Analysis.Reports;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Demo;

/// <summary>
/// <c>--recorded</c>: judge a recorded canary against its baseline, endpoint by endpoint, from real Prometheus
/// responses (see Recorded/record.py) — no services, no traffic, one evaluation.
/// </summary>
internal static class RecordedDemo
{
    public static string DefaultRecording => Path.Combine(AppContext.BaseDirectory, "Recorded", "canary-vs-baseline.json");

    public static async Task<Verdict> RunAsync(string? path, TextWriter output, string? reportDirectory = null)
    {
        var provider = RecordedMetricProvider.Load(path ?? DefaultRecording);
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);

        var end = new DateTimeOffset(2026, 1, 1, 2, 0, 0, TimeSpan.Zero);
        var window = TimeSpan.FromMinutes(30);
        var baseline = await source.ReadAsync(new TrafficQuery(LabelSelector.Parse("version=\"baseline\""), end, window));
        var canary = await source.ReadAsync(new TrafficQuery(LabelSelector.Parse("version=\"canary\""), end, window));

        // How much each endpoint matters to the business, whatever its traffic. /health is not judged.
        var weights = new EndpointWeights
        {
            ["/api/pay"] = 0.4,
            ["/api/checkout"] = 0.2,
            ["/api/search"] = 0.2,
            ["/api/products"] = 0.1,
            ["/api/cart"] = 0.1,
            ["/health"] = 0,
        };

        var weighted = SuccessRateEvaluator.Evaluate(canary, new SuccessRateCriteria { Weights = weights, MinimumSuccessRate = 0.95 });
        var aggregate = SuccessRateEvaluator.Evaluate(canary, new SuccessRateCriteria { Weights = EndpointWeights.TrafficWeighted(), MinimumSuccessRate = 0.95 });

        output.WriteLine($"Canary.Analysis demo: canary vs baseline, {window.TotalMinutes:0} min ending {end:yyyy-MM-dd HH:mm}Z (recorded Prometheus responses)");
        output.WriteLine();
        EvidenceTable.Write(output, weighted, aggregate, baseline);
        output.WriteLine();
        output.WriteLine(weighted.Verdict switch
        {
            Verdict.Fail => "Decision: roll back: a rare endpoint that matters is failing, although the aggregate looks healthy.",
            Verdict.Pass => "Decision: the canary may advance.",
            _ => "Decision: wait for more evidence.",
        });
        if (reportDirectory is not null)
        {
            // A single judgement: the weighted check's result, as data.
            await DemoReports.WriteAsync(CanaryReport.FromResults("recorded canary vs baseline", end, [weighted]), reportDirectory, output);
        }

        return weighted.Verdict;
    }
}
