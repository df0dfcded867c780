using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Simulation;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.Simulation;

/// <summary>
/// Issue 11, item 8: the opt-in baseline history (<see cref="SequentialErrorRateCriteria.BaselineHistory"/>) on DESIGN.md's
/// scenario, 13-minute fail-fast step at 5 %, peak, jittered looks; the simulated baseline served 24 h before the canary
/// (<see cref="SimulatedTrafficModel.BaselineHistory"/>), read by <see cref="SequentialErrorRateCheck"/> through the source.
/// Each cell with and without history on the same seeds. CI runs a small count per cell; reproduce the published table
/// (2 000 per cell) with
/// <c>CANARY_MONTE_CARLO_RUNS=2000 dotnet test tests/Canary.Analysis.Tests -c Release -f net10.0 --filter FullyQualifiedName~BaselineHistoryDecisionQuality --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class BaselineHistoryDecisionQualityTests(ITestOutputHelper output)
{
    private const int Seed = 20261208;
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(13);

    private static SequentialErrorRateCriteria Criteria(bool history, BaselineHistoryOptions? options = null)
    {
        var criteria = DesignScenario.SequentialCriteria();
        criteria.BaselineHistory = history ? options ?? new BaselineHistoryOptions() : null;
        return criteria;
    }

    /// <summary>24 h of history; the baseline's rate today is <paramref name="today"/>, over its history <paramref name="before"/>.</summary>
    private static Action<SimulatedTrafficModel> History(double before = 0.005, double today = 0.005, int burst = 1, int days = 1) => model =>
    {
        model.BaselineHistory = TimeSpan.FromDays(days);
        model.BaselineHistoryErrorFactor = before / today;
        model.ErrorBurstSize = burst;
        model.ScrapeInterval = burst > 1 ? TimeSpan.FromMinutes(1) : model.ScrapeInterval;
        foreach (var endpoint in model.Endpoints)
        {
            endpoint.ErrorRate = today;
        }
    };

    private MonteCarloResult Measure(string label, bool history, int runs, Action<SimulatedTrafficModel> shape, params SimulatedFault[] faults) =>
        Measure(label, history ? "24 h history" : "concurrent only", Criteria(history), runs, shape, faults);

    private MonteCarloResult Measure(string label, string check, SequentialErrorRateCriteria criteria, int runs, Action<SimulatedTrafficModel> shape, params SimulatedFault[] faults)
    {
        var result = MonteCarlo.Run(runs, Seed, s => DesignScenario.Sequential(s, Step, TrafficProfile.Flat, jitter: true, criteria, shape, faults));
        MonteCarloRuns.PrintRow(output, $"{label} | {check}", result);
        return result;
    }

    private void Header()
    {
        output.WriteLine("| 13-minute fail-fast step | check | runs | rolled back | 95 % CI | promoted |");
        output.WriteLine("|---|---|---:|---:|---|---:|");
    }

    [Fact]
    public void Regressions_CaughtMoreOftenWithHistory()
    {
        var runs = MonteCarloRuns.Or(60);
        Header();
        var rareWithout = Measure("`/rare` 0.5 % → 25 %", false, runs, History(), SimulatedFault.Errors(0.25, "/rare"));
        var rare = Measure("`/rare` 0.5 % → 25 %", true, runs, History(), SimulatedFault.Errors(0.25, "/rare"));
        var busyWithout = Measure("one of 24 busy endpoints 0.5 % → 2 %", false, runs, History(), SimulatedFault.Errors(0.02, "/api/e01"));
        var busy = Measure("one of 24 busy endpoints 0.5 % → 2 %", true, runs, History(), SimulatedFault.Errors(0.02, "/api/e01"));
        var globalWithout = Measure("global 0.5 % → 1 %", false, runs, History(), SimulatedFault.Errors(0.01));
        var global = Measure("global 0.5 % → 1 %", true, runs, History(), SimulatedFault.Errors(0.01));

        // The ceiling: the most powerful test told the baseline's rate exactly (what a perfect history would give), at the α
        // the endpoint's weight gives it (α × (1 − ServiceWideShare) × its share of the weight), on its expected canary requests.
        var criteria = Criteria(true);
        double EndpointAlpha(double weight) => criteria.Alpha * (1 - criteria.ServiceWideShare) * weight;
        const double PerMinuteAt5Percent = 60 * 0.05;
        var rareCeiling = InformationBound.BestDetection(0.3 * PerMinuteAt5Percent * 13, 0.005, 0.25, EndpointAlpha(0.2));
        var busyCeiling = InformationBound.BestDetection(99.7 / 24 * PerMinuteAt5Percent * 13, 0.005, 0.02, EndpointAlpha(0.8 / 24));
        output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"| best possible at the endpoint's α, the baseline's rate known exactly | /rare {rareCeiling:P1} (α {EndpointAlpha(0.2):G2}), busy {busyCeiling:P1} (α {EndpointAlpha(0.8 / 24):G2}) |"));
        Assert.True(rare.FailedRateInterval().Lower <= rareCeiling && busy.FailedRateInterval().Lower <= busyCeiling, $"{rare}; {busy}");

        // What even a few runs show: the history adds power where the concurrent baseline has few errors, and costs none
        // elsewhere beyond what the runs' noise allows (2 000 runs: busy 13.6 % → 13.8 %, global 89.0 % → 90.8 %).
        Assert.True(rare.FailedRate > rareWithout.FailedRate, $"with {rare}; without {rareWithout}");
        Assert.True(rare.FailedRateInterval().Upper >= 0.7, rare.ToString());
        Assert.True(busy.FailedRateInterval().Upper >= busyWithout.FailedRate - 0.05, $"with {busy}; without {busyWithout}");
        Assert.True(global.FailedRateInterval().Upper >= globalWithout.FailedRate - 0.05, $"with {global}; without {globalWithout}");
        Assert.Equal(0, rare.Counts[SimulationOutcomeKind.Succeeded] + busy.Counts[SimulationOutcomeKind.Succeeded] + global.Counts[SimulationOutcomeKind.Succeeded]);
    }

    [Fact]
    public void Healthy_FalseRollbacksWithinFivePercent()
    {
        var runs = MonteCarloRuns.Or(60);
        Header();
        var stableWithout = Measure("healthy, baseline 0.5 % over its history and today", false, runs, History());
        var stable = Measure("healthy, baseline 0.5 % over its history and today", true, runs, History());
        var drift = Measure("healthy, baseline 0.5 % over its history, 0.6 % today (within the tolerance)", true, runs, History(today: 0.006));
        var changeWithout = Measure("healthy, baseline 0.5 % over its history, 1 % today", false, runs, History(today: 0.01));
        var change = Measure("healthy, baseline 0.5 % over its history, 1 % today (beyond the tolerance: the stability checks)", true, runs, History(today: 0.01));
        var bursts = new[] { 2, 5, 20 }.Select(size => Measure($"healthy, errors in bursts of {size} (one-minute scrapes), 0.5 %", true, runs, History(burst: size))).ToList();
        foreach (var cell in new[] { stableWithout, stable, drift, changeWithout, change }.Concat(bursts))
        {
            Assert.True(cell.FailedRateInterval().Lower <= 0.05, cell.ToString());
        }
    }

    /// <summary>What the settings trade: a smaller tolerance (the proof then allows a smaller drift) and a longer history (a tighter bound on its rate).</summary>
    [Fact]
    public void Settings_ToleranceAndHistoryLength()
    {
        var runs = MonteCarloRuns.Or(40);
        Header();
        var tight = new BaselineHistoryOptions { Tolerance = 0.1 };
        var week = new BaselineHistoryOptions { Window = TimeSpan.FromDays(7), Segments = 28 };
        var rareTight = Measure("`/rare` 0.5 % → 25 %", "24 h history, tolerance 0.1", Criteria(true, tight), runs, History(), SimulatedFault.Errors(0.25, "/rare"));
        var rareWeek = Measure("`/rare` 0.5 % → 25 %", "7 days of history", Criteria(true, week), runs, History(days: 7), SimulatedFault.Errors(0.25, "/rare"));
        var busyTight = Measure("one of 24 busy endpoints 0.5 % → 2 %", "24 h history, tolerance 0.1", Criteria(true, tight), runs, History(), SimulatedFault.Errors(0.02, "/api/e01"));
        var globalTight = Measure("global 0.5 % → 1 %", "24 h history, tolerance 0.1", Criteria(true, tight), runs, History(), SimulatedFault.Errors(0.01));
        var driftTight = Measure("healthy, baseline 0.5 % over its history, 0.6 % today (beyond tolerance 0.1)", "24 h history, tolerance 0.1", Criteria(true, tight), runs, History(today: 0.006));
        var healthyWeek = Measure("healthy, baseline 0.5 %", "7 days of history", Criteria(true, week), runs, History(days: 7));
        Assert.True(rareTight.FailedRateInterval().Upper >= 0.7 && rareWeek.FailedRateInterval().Upper >= 0.7, $"{rareTight}; {rareWeek}");
        Assert.True(busyTight.FailedRateInterval().Upper >= 0.1 && globalTight.FailedRateInterval().Upper >= 0.8, $"{busyTight}; {globalTight}");
        Assert.True(driftTight.FailedRateInterval().Lower <= 0.05 && healthyWeek.FailedRateInterval().Lower <= 0.05, $"{driftTight}; {healthyWeek}");
    }
}
