using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Benchmarks;

/// <summary>
/// One rollout tick, <see cref="CanaryRollout.TickAsync"/>, of <see cref="CanaryPolicies.FailFastThenSoak"/> with five
/// cheap in-memory checks per analysis step (two success-rate checks, three latency checks, one of them against the
/// baseline; 4 endpoints), so that the time is the decision machinery's, not I/O's. Target (DESIGN.md): a tick allocates
/// nothing beyond its result; 10 000 rollouts × 5 checks well under a second on 2 cores.
/// </summary>
/// <remarks>
/// <para>The policy is the preset with a scrape interval of one year: its fail-fast step is then 50 years of one-minute
/// looks (count 26 280 000) instead of 13, so a measuring tick can be repeated millions of times in the middle of the
/// step without the step ever completing. Nothing else differs from the 15 s preset (interval, limits, fail-fast flag).</para>
/// <para>Every rollout is in its fail-fast step at 5 % after its first look. "No look due" ticks 5 s after a look (a
/// controller reconciles every few seconds; a look is due once a minute); "look due" and the fleet move the clock one
/// minute per invocation, so every tick measures the five checks. The fleet's rollouts share one policy: the checks are
/// stateless, so sharing them changes no work.</para>
/// </remarks>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RolloutTickBenchmarks
{
    private const string Idle = "no look due (1 tick)";
    private const string Look = "look due (1 tick, 5 checks)";
    private const string Fleet = "10 000 rollouts × 5 checks";
    private const int FleetSize = 10_000;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private CanaryPolicy _policy = null!;
    private IAnalysisCheck[] _checks = [];
    private CanaryRollout _rollout = null!;
    private CanaryRollout[] _fleet = [];
    private DateTimeOffset _now;
    private RolloutDecision _idleDecision = null!;

    [GlobalSetup(Targets = [nameof(IdleResultOnly), nameof(IdleTick), nameof(LookChecksOnly), nameof(LookTick)])]
    public void SetupOne()
    {
        Build();
        _rollout = StartedRollout();
        _now = Start + Minute + TimeSpan.FromSeconds(5);
        _idleDecision = _rollout.TickAsync(_now).GetAwaiter().GetResult();
        if (_idleDecision.Action != RolloutAction.Continue || _rollout.State.StepAnalysis?.Metrics.Count != 5)
        {
            throw new InvalidOperationException($"Expected to continue in an analysis step of 5 checks, got {_idleDecision}.");
        }

        Console.WriteLine($"// no look due: {_idleDecision.Reason}");
    }

    [GlobalSetup(Targets = [nameof(FleetChecksOnly), nameof(FleetSequential), nameof(FleetParallel)])]
    public void SetupFleet()
    {
        Build();
        _fleet = new CanaryRollout[FleetSize];
        for (var i = 0; i < _fleet.Length; i++)
        {
            _fleet[i] = StartedRollout();
        }

        _now = Start + Minute;
    }

    /// <summary>The result alone, as <see cref="CanaryRollout.TickAsync"/> returns it: the floor of a tick's allocations.</summary>
    [Benchmark(Baseline = true, Description = "result only: Task.FromResult(new RolloutDecision { … })")]
    [BenchmarkCategory(Idle)]
    public Task<RolloutDecision> IdleResultOnly() =>
        Task.FromResult(new RolloutDecision
        {
            Action = _idleDecision.Action,
            Cause = _idleDecision.Cause,
            State = _idleDecision.State,
            At = _idleDecision.At,
            StepIndex = _idleDecision.StepIndex,
            Step = _idleDecision.Step,
            Weight = _idleDecision.Weight,
            StepAnalysis = _idleDecision.StepAnalysis,
            Analyses = _idleDecision.Analyses,
            NextTickAt = _idleDecision.NextTickAt,
        });

    [Benchmark(Description = "CanaryRollout.TickAsync, nothing due")]
    [BenchmarkCategory(Idle)]
    public Task<RolloutDecision> IdleTick() => _rollout.TickAsync(_now);

    /// <summary>The five checks measured directly (concurrently, as the run does), without the run or the rollout.</summary>
    [Benchmark(Baseline = true, Description = "5 checks' MeasureAsync only")]
    [BenchmarkCategory(Look)]
    public Task<CheckResult[]> LookChecksOnly()
    {
        _now += Minute;
        return MeasureChecks(_now);
    }

    [Benchmark(Description = "CanaryRollout.TickAsync, 5 checks due")]
    [BenchmarkCategory(Look)]
    public async Task<RolloutDecision> LookTick()
    {
        _now += Minute;
        return Expect(await _rollout.TickAsync(_now).ConfigureAwait(false));
    }

    [Benchmark(Baseline = true, Description = "10 000 × 5 checks' MeasureAsync only")]
    [BenchmarkCategory(Fleet)]
    public async Task FleetChecksOnly()
    {
        _now += Minute;
        for (var i = 0; i < FleetSize; i++)
        {
            await MeasureChecks(_now).ConfigureAwait(false);
        }
    }

    [Benchmark(Description = "10 000 rollouts ticked in sequence")]
    [BenchmarkCategory(Fleet)]
    public async Task FleetSequential()
    {
        _now += Minute;
        foreach (var rollout in _fleet)
        {
            Expect(await rollout.TickAsync(_now).ConfigureAwait(false));
        }
    }

    [Benchmark(Description = "10 000 rollouts, Parallel.ForEachAsync (2 cores)")]
    [BenchmarkCategory(Fleet)]
    public Task FleetParallel()
    {
        _now += Minute;
        var now = _now;
        return Parallel.ForEachAsync(_fleet, async (rollout, cancellationToken) =>
            Expect(await rollout.TickAsync(now, cancellationToken).ConfigureAwait(false)));
    }

    private static RolloutDecision Expect(RolloutDecision decision) =>
        decision.Action == RolloutAction.Continue && decision.Analyses.Count == 5
            ? decision
            : throw new InvalidOperationException($"Expected every tick to continue the fail-fast step, got {decision}.");

    private Task<CheckResult[]> MeasureChecks(DateTimeOffset now) => Task.WhenAll(
        _checks[0].MeasureAsync(now),
        _checks[1].MeasureAsync(now),
        _checks[2].MeasureAsync(now),
        _checks[3].MeasureAsync(now),
        _checks[4].MeasureAsync(now));

    /// <summary>Returns a rollout of the policy that has set 5 % and taken its first look (all five checks pass).</summary>
    private CanaryRollout StartedRollout()
    {
        var rollout = new CanaryRollout(_policy, Start);
        var setWeight = rollout.TickAsync(Start).GetAwaiter().GetResult();
        var firstLook = rollout.TickAsync(Start + Minute).GetAwaiter().GetResult();
        if (setWeight.Action != RolloutAction.Advance || setWeight.Weight != 5 || Expect(firstLook).Analyses.Any(m => m.Last?.Phase != MeasurementPhase.Successful))
        {
            throw new InvalidOperationException($"Expected 5 % and five passing checks, got {setWeight} then {firstLook}.");
        }

        return rollout;
    }

    private void Build()
    {
        var endpoints = new[] { ("/pay", 400.0, 1.0), ("/search", 3_000.0, 4.0), ("/cart", 900.0, 2.0), ("/admin/report", 120.0, 0.0) };
        var canary = new FixedTrafficSource(Snapshot(endpoints, slowdown: 1.05));
        var canarySelector = LabelSelector.Parse("version=\"canary\"");
        var baselineSelector = LabelSelector.Parse("version=\"stable\"");
        _policy = CanaryPolicies.FailFastThenSoak(
            window =>
            {
                var checks = new Dictionary<string, IAnalysisCheck>(StringComparer.Ordinal)
                {
                    ["success-rate"] = new SuccessRateCheck(canary, canarySelector, window, new SuccessRateCriteria
                    {
                        Weights = new EndpointWeights { ["/pay"] = 0.5, ["/search"] = 0.2, ["/cart"] = 0.2, ["/admin/report"] = 0.1 },
                        MinimumSuccessRate = 0.99,
                    }),
                    ["endpoint-success-rate"] = new SuccessRateCheck(canary, canarySelector, window, new SuccessRateCriteria
                    {
                        MinimumSuccessRate = 0.95,
                        MinimumEndpointSuccessRate = 0.98,
                    }),
                    ["latency-p95"] = new LatencyCheck(canary, canarySelector, window, new LatencyCriteria { Quantile = 0.95, MaximumLatency = TimeSpan.FromMilliseconds(500) }),
                    ["latency-p99"] = new LatencyCheck(canary, canarySelector, window, new LatencyCriteria { Quantile = 0.99, MaximumLatency = TimeSpan.FromSeconds(1) }),
                    // The fixed source answers the baseline's query with the canary's snapshot: the check reads twice and passes.
                    ["latency-vs-baseline"] = new LatencyCheck(canary, canarySelector, window, new LatencyCriteria { Quantile = 0.95, MaximumIncrease = 0.2 }, baselineSelector),
                };
                return checks;
            },
            scrapeInterval: TimeSpan.FromDays(365));
        _checks = [.. _policy.Steps[1].Metrics.Select(m => m.Check)];
    }

    private static TrafficSnapshot Snapshot((string Name, double PerSecond, double ErrorsPerMinute)[] endpoints, double slowdown)
    {
        double[] bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
        var traffic = new List<EndpointTraffic>();
        foreach (var (name, perSecond, errors) in endpoints)
        {
            var requests = perSecond * 60 * 0.05;
            var buckets = new List<(double UpperBound, double CumulativeCount)>();
            foreach (var bound in bounds)
            {
                // A log-normal-ish shape around 60 ms, stretched by the slowdown.
                var share = 1 / (1 + Math.Exp(-3 * Math.Log(bound / (0.06 * slowdown))));
                buckets.Add((bound, Math.Round(requests * share)));
            }

            buckets.Add((double.PositiveInfinity, requests));
            var counts = new Dictionary<StatusClass, double> { [StatusClass.Success] = requests - errors, [StatusClass.ServerError] = errors };
            traffic.Add(new EndpointTraffic(name, counts, latency: new LatencyHistogram(buckets)));
        }

        return new TrafficSnapshot(Start, Minute, traffic);
    }
}
