// The main job on an embedded default: judge a recorded canary against its baseline, endpoint by endpoint.
// The recording holds real Prometheus responses (see Recorded/record.py); pass another recording file to judge it.
using System.Globalization;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics.Recorded;
using Canary.Analysis.Traffic;

var path = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "Recorded", "canary-vs-baseline.json");
var provider = RecordedMetricProvider.Load(path);
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

Console.WriteLine($"Canary.Analysis demo: canary vs baseline, {window.TotalMinutes:0} min ending {end:yyyy-MM-dd HH:mm}Z (recorded Prometheus responses)");
Console.WriteLine();
Console.WriteLine($"{"endpoint",-15} {"weight",7} {"baseline",20} {"canary",18} {"contribution",13}  status");
foreach (var row in weighted.Endpoints)
{
    baseline.Endpoints.TryGetValue(row.Endpoint, out var before);
    Console.WriteLine(
        $"{row.Endpoint,-15} {Percent(row.Weight, 0),7} {Rate(before?.SuccessRate ?? double.NaN, before?.Requests ?? 0),20} " +
        $"{Rate(row.Value, row.Requests),18} {Percent(row.Contribution, 2),13}  {row.Status}");
}

Console.WriteLine();
Console.WriteLine($"plain aggregate (what a single PromQL ratio sees): {aggregate.Verdict,-5} {aggregate.Reason}");
Console.WriteLine($"weighted per endpoint:                            {weighted.Verdict,-5} {weighted.Reason}");
Console.WriteLine();
Console.WriteLine(weighted.Verdict switch
{
    Verdict.Fail => "Decision: roll back: a rare endpoint that matters is failing, although the aggregate looks healthy.",
    Verdict.Pass => "Decision: the canary may advance.",
    _ => "Decision: wait for more evidence.",
});

static string Percent(double value, int decimals) =>
    double.IsNaN(value) ? "-" : (value * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " %";

static string Rate(double rate, double requests) =>
    $"{Percent(rate, 2)} (n={requests.ToString("0", CultureInfo.InvariantCulture)})";
