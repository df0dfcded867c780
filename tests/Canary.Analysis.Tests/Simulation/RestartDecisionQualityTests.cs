using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Simulation;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.Simulation;

/// <summary>
/// Issue 11, item 1: a healthy canary through a whole preset policy on DESIGN.md's scenario (25 endpoints, 100 req/s at peak,
/// /rare 0.3 req/s with 20 % of the weight, 0.5 % errors, looks every minute), judged by one
/// <see cref="SequentialErrorRateCheck"/> for the whole policy, on a controller that restarts every hour or every 15 minutes:
/// each restart saves the state as JSON, builds a new policy with new check objects and resumes. The evidence travels in the
/// state, so the restarts do not reset α: false rollbacks stay ≤ 5 %. The control (state without the checks' evidence, as a
/// controller saving only the rollout's progress would) shows what the assertion guards against.
/// CI runs 200 runs per cell; reproduce the published table (2 000 runs per cell, 95 % Clopper–Pearson intervals) with
/// <c>CANARY_MONTE_CARLO_RUNS=2000 dotnet test tests/Canary.Analysis.Tests -c Release -f net10.0 --filter FullyQualifiedName~RestartDecisionQuality --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class RestartDecisionQualityTests(ITestOutputHelper output)
{
    private const int Seed = 20261205;

    /// <summary>The preset policies measured.</summary>
    public enum Preset
    {
        /// <summary><see cref="CanaryPolicies.LongSoak"/> from midnight with the daily profile: 13 minutes at 5 %, then 24 h at 10 %.</summary>
        LongSoak,

        /// <summary><see cref="CanaryPolicies.FailFastThenSoak"/> at peak: 13 minutes at 5 %, then 10 % for 30 minutes twice.</summary>
        FailFastThenSoak,

        /// <summary>The long soak judged every minute (1 453 looks from midnight, daily profile): where a fresh α per restart shows most.</summary>
        MinuteLookSoak,
    }

    /// <summary>What a controller builds at start-up (and after every restart): a new check, one for every step, in a new policy.</summary>
    internal static CanaryPolicy NewPolicy(Preset preset, SimulatedTrafficSource source)
    {
        var check = new SequentialErrorRateCheck(source, SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector, TimeSpan.FromMinutes(1),
            new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/rare"] = 0.2, DefaultWeight = 0.8 / 24 }, Alpha = 0.05 });
        IReadOnlyDictionary<string, IAnalysisCheck> Checks(TimeSpan _) => new Dictionary<string, IAnalysisCheck> { ["error-rate"] = check };
        return preset switch
        {
            Preset.LongSoak => CanaryPolicies.LongSoak(Checks),
            Preset.FailFastThenSoak => CanaryPolicies.FailFastThenSoak(Checks),
            _ => new CanaryPolicy("minute-look-soak",
            [
                CanaryStep.SetWeight(5),
                CanaryStep.FailFastAnalysis("fail-fast", EveryMinute(check, 13)),
                CanaryStep.SetWeight(10),
                CanaryStep.Analysis("soak", EveryMinute(check, 24 * 60)),
            ]),
        };
    }

    private static AnalysisMetric EveryMinute(IAnalysisCheck check, int looks) => new()
    {
        Name = "error-rate",
        Check = check,
        InitialDelay = TimeSpan.FromMinutes(1),
        Interval = TimeSpan.FromMinutes(1),
        Count = looks,
        InconclusiveLimit = looks - 1,
    };

    /// <summary>
    /// One healthy rollout, on a jittered controller timer; <paramref name="restartEvery"/> null for a controller that never
    /// restarts, else restarts at a random moment in every such period.
    /// </summary>
    /// <remarks>The control (<paramref name="carryEvidence"/> false) with the presets mostly ends Inconclusive rather than
    /// rolled back: a fresh check every 15 minutes never sees /rare's 50 canary requests, so it never passes either.</remarks>
    internal static SimulationOutcome Simulate(Preset preset, int seed, TimeSpan? restartEvery, bool carryEvidence = true, params SimulatedFault[] faults)
    {
        var (start, profile, duration) = preset != Preset.FailFastThenSoak
            ? (DesignScenario.Midnight, TrafficProfile.Daily, TimeSpan.FromHours(26))
            : (DesignScenario.Peak, TrafficProfile.Flat, TimeSpan.FromHours(2));
        var source = new SimulatedTrafficSource(DesignScenario.Model(start, profile, faults), seed);
        var rollout = new CanaryRollout(NewPolicy(preset, source), start);
        var jitter = TickJitter.SubSecond(seed);
        var run = restartEvery is { } every
            ? Simulator.RunRolloutAsync(rollout, source, TimeSpan.FromMinutes(1), duration, jitter,
                new RolloutRestarts(every, s => NewPolicy(preset, s)) { Jitter = new TickJitter(seed, every), CarryCheckEvidence = carryEvidence })
            : Simulator.RunRolloutAsync(rollout, source, TimeSpan.FromMinutes(1), duration, jitter);
        return run.GetAwaiter().GetResult();
    }

    private MonteCarloResult Measure(string label, int runs, Func<int, SimulationOutcome> simulate)
    {
        var result = MonteCarlo.Run(runs, Seed, simulate);
        MonteCarloRuns.PrintRow(output, label, result);
        return result;
    }

    [Theory]
    [InlineData(Preset.LongSoak, 60)]
    [InlineData(Preset.LongSoak, 15)]
    [InlineData(Preset.FailFastThenSoak, 60)]
    [InlineData(Preset.FailFastThenSoak, 15)]
    [InlineData(Preset.MinuteLookSoak, 60)]
    [InlineData(Preset.MinuteLookSoak, 15)]
    public void Healthy_RestartedController_FalseRollbacksWithinFivePercent(Preset preset, int minutes)
    {
        var every = TimeSpan.FromMinutes(minutes);
        var runs = MonteCarloRuns.Or(preset == Preset.MinuteLookSoak ? 60 : 200);
        output.WriteLine("| healthy canary | runs | false rollbacks | 95 % CI | promoted |");
        output.WriteLine("|---|---:|---:|---|---:|");
        var restarted = Measure($"{preset}, restart every {minutes} min, evidence carried", runs, s => Simulate(preset, s, every));
        var control = Measure($"{preset}, restart every {minutes} min, evidence dropped (control)", runs, s => Simulate(preset, s, every, carryEvidence: false));

        // The seeds are fixed: the point estimate is reproducible, and its interval says how far the truth can be from it. With
        // CI's 60 or 200 runs the interval cannot show ≤ 5 %; it must not exclude it (the README's 2 000 runs show it).
        Assert.True(restarted.FailedRateInterval().Lower <= 0.05, restarted.ToString());
        if (preset == Preset.FailFastThenSoak)
        {
            // A Pass proves a 1-point margin on the weighted success rate; 73 minutes cannot on DESIGN's scenario (/rare's ~120
            // canary requests alone leave more than a point), so the soak pauses for a human instead of promoting unproven.
            Assert.Equal(0, restarted.Counts[SimulationOutcomeKind.Succeeded]);
        }
        else
        {
            Assert.True(restarted.Rate(SimulationOutcomeKind.Succeeded) >= 0.9, restarted.ToString());
        }

        if (preset == Preset.MinuteLookSoak)
        {
            // Judged every minute, a controller that drops the evidence starts a new test with a fresh α at every restart:
            // far more false rollbacks, beyond the intervals' overlap — the assertion above can fail.
            Assert.True(control.FailedRateInterval().Lower > restarted.FailedRateInterval().Upper, $"control {control}; restarted {restarted}");
            Assert.True(control.FailedRateInterval().Lower > 0.05, control.ToString());
        }
    }

    [Theory]
    [InlineData(Preset.LongSoak)]
    [InlineData(Preset.FailFastThenSoak)]
    [InlineData(Preset.MinuteLookSoak)]
    public void Healthy_RestartedEveryHour_DecidesAsTheControllerThatNeverRestarts(Preset preset)
    {
        // The same seed with and without restarts: the same decision at the same time, run after run.
        for (var seed = 1; seed <= 3; seed++)
        {
            var steady = Simulate(preset, seed, restartEvery: null);
            var restarted = Simulate(preset, seed, TimeSpan.FromHours(1));
            Assert.Equal((steady.Kind, steady.EndedAt, steady.Reason), (restarted.Kind, restarted.EndedAt, restarted.Reason));
        }
    }

    /// <summary>
    /// Restarts cost no power either: with a regression (caught or not) and with a shared outage, a controller restarted every
    /// 15 minutes decides as the one that never restarts, seed by seed — so every detection rate measured without restarts holds
    /// with them.
    /// </summary>
    [Theory]
    [InlineData(Preset.FailFastThenSoak, "global 1 %")]
    [InlineData(Preset.FailFastThenSoak, "/rare 25 %")]
    [InlineData(Preset.FailFastThenSoak, "outage + /rare 25 %")]
    [InlineData(Preset.LongSoak, "/rare 5 %")]
    public void Regression_RestartedEvery15Minutes_DecidesAsTheControllerThatNeverRestarts(Preset preset, string regression)
    {
        SimulatedFault[] faults = regression switch
        {
            "global 1 %" => [SimulatedFault.Errors(0.01)],
            "/rare 25 %" => [SimulatedFault.Errors(0.25, "/rare")],
            "/rare 5 %" => [SimulatedFault.Errors(0.05, "/rare")],
            _ => [SimulatedFault.SharedOutage(0.5, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5)), SimulatedFault.Errors(0.25, "/rare")],
        };
        var kinds = new HashSet<SimulationOutcomeKind>();
        for (var seed = 1; seed <= 8; seed++)
        {
            var steady = Simulate(preset, seed, restartEvery: null, faults: faults);
            var restarted = Simulate(preset, seed, TimeSpan.FromMinutes(15), faults: faults);
            Assert.Equal((steady.Kind, steady.EndedAt, steady.Reason), (restarted.Kind, restarted.EndedAt, restarted.Reason));
            kinds.Add(steady.Kind);
        }

        // The regression is seen: at least one of the seeds rolls back (the identity above is not one of idle runs).
        Assert.Contains(SimulationOutcomeKind.Failed, kinds);
    }
}
