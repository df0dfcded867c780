using System.Globalization;
using Canary.Analysis.Simulation;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.Simulation;

/// <summary>
/// How many Monte Carlo runs the reporting cells use: a CI-sized default, or the number in the environment variable
/// <c>CANARY_MONTE_CARLO_RUNS</c> (e.g. 2000) to reproduce the published tables; and their rows.
/// </summary>
internal static class MonteCarloRuns
{
    /// <summary>The environment variable that raises (or lowers) the run count of the reporting cells.</summary>
    internal const string Variable = "CANARY_MONTE_CARLO_RUNS";

    /// <summary>The run count: <paramref name="ciDefault"/> unless <see cref="Variable"/> holds a positive integer.</summary>
    internal static int Or(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out var runs) && runs > 0 ? runs : ciDefault;

    /// <summary>Prints a Markdown table row: the label's cells, the runs, the failed (rolled back) share and its 95 % Clopper–Pearson interval.</summary>
    internal static void PrintRow(ITestOutputHelper output, string cells, MonteCarloResult result)
    {
        var interval = result.FailedRateInterval();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {cells} | {result.Runs} | {result.FailedRate:P1} | [{interval.Lower:P1}, {interval.Upper:P1}] | {result.Rate(SimulationOutcomeKind.Succeeded):P1} |"));
    }
}
