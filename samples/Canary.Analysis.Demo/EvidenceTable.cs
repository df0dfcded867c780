using System.Globalization;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Demo;

/// <summary>The per-endpoint evidence table both demo modes end with: weight, baseline, canary, contribution, status.</summary>
internal static class EvidenceTable
{
    /// <summary>Writes the table, then what the plain aggregate and the weighted check say about the same canary traffic.</summary>
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

    public static string Percent(double value, int decimals) =>
        double.IsNaN(value) ? "-" : (value * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " %";

    private static string Rate(double rate, double requests) =>
        $"{Percent(rate, 2)} (n={requests.ToString("0", CultureInfo.InvariantCulture)})";
}
