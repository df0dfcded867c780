using System.Globalization;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Demo;

/// <summary>The per-endpoint evidence tables the demo ends with: weight, baseline, canary, and what each check made of them.</summary>
internal static class EvidenceTable
{
    /// <summary>Writes the table of one weighted check, then what the plain aggregate and the weighted check say about the same canary traffic.</summary>
    public static void Write(TextWriter output, CheckResult weighted, CheckResult aggregate, TrafficSnapshot baseline)
    {
        output.WriteLine($"{"endpoint",-15} {"weight",7} {"baseline",20} {"canary",18} {"contribution",13}  status");
        foreach (var row in weighted.Endpoints)
        {
            baseline.Endpoints.TryGetValue(row.Endpoint, out var before);
            output.WriteLine(
                $"{row.Endpoint,-15} {Percent(row.Weight, 0),7} {Rate(before?.SuccessRate ?? double.NaN, before?.Requests ?? 0),20} " +
                $"{Rate(row.Value, row.Requests),18} {Percent(row.Contribution, 2),13}  {row.Status}");
        }

        output.WriteLine();
        output.WriteLine($"plain aggregate (what a single PromQL ratio sees): {aggregate.Verdict,-5} {aggregate.Reason}");
        output.WriteLine($"weighted per endpoint:                            {weighted.Verdict,-5} {weighted.Reason}");
    }

    /// <summary>
    /// Writes the live demo's table: per endpoint, the sequential check's counts and evidence (e-value against the
    /// endpoint's boundary 1/αᵢ) and the floor's contribution, then the three verdicts on one line each.
    /// </summary>
    public static void WriteLive(TextWriter output, DecidingEvidence evidence)
    {
        output.WriteLine($"{"",-15} {"",7} {"error-rate: sequential, canary vs baseline",-70}  success-rate floor");
        output.WriteLine($"{"endpoint",-15} {"weight",7} {"baseline",20} {"canary",18} {"e-value",9} {"bound",5}  {"status",-13}  {"contribution",12}  status");
        var floor = evidence.Floor.Endpoints.ToDictionary(r => r.Endpoint, StringComparer.Ordinal);
        foreach (var row in evidence.ErrorRate.Endpoints.OrderByDescending(r => r.Weight).ThenBy(r => r.Endpoint, StringComparer.Ordinal))
        {
            evidence.Baseline.Endpoints.TryGetValue(row.Endpoint, out var before);
            floor.TryGetValue(row.Endpoint, out var judged);

            // The sequential rows carry the endpoint's largest e-value so far and its own boundary 1/αᵢ as their evidence.
            output.WriteLine(
                $"{row.Endpoint,-15} {Percent(row.Weight, 0),7} {Rate(before?.SuccessRate ?? double.NaN, before?.Requests ?? 0),20} " +
                $"{Rate(row.Value, row.Requests),18} {EValue(row.EvidenceValue),9} {row.EvidenceBoundary.ToString("0.#", CultureInfo.InvariantCulture),5}  {row.Status,-13}  " +
                $"{Percent(judged?.Contribution ?? double.NaN, 2),12}  {judged?.Status.ToString() ?? "-"}");
        }

        output.WriteLine();
        output.WriteLine($"error-rate (sequential, per endpoint):             {evidence.ErrorRate.Verdict,-12} {evidence.ErrorRate.Reason}");
        output.WriteLine($"success-rate floor (weighted per endpoint):        {evidence.Floor.Verdict,-12} {evidence.Floor.Reason}");
        output.WriteLine($"plain aggregate (what a single PromQL ratio sees): {evidence.Aggregate.Verdict,-12} {evidence.Aggregate.Reason}");
    }

    public static string Percent(double value, int decimals) =>
        double.IsNaN(value) ? "-" : (value * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " %";

    private static string Rate(double rate, double requests) =>
        $"{Percent(rate, 2)} (n={requests.ToString("0", CultureInfo.InvariantCulture)})";

    private static string EValue(double e) =>
        double.IsNaN(e) ? "-" : e.ToString(e < 1000 ? "0.##" : "0.0e+0", CultureInfo.InvariantCulture);
}
