using System.Diagnostics;
using System.Globalization;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Demo;

/// <summary>
/// The main job, live: a baseline and a canary service on 127.0.0.1, users sending traffic split by the canary's
/// weight, and a fail-fast canary policy deciding every simulated minute from direct <c>/metrics</c> scrapes — in
/// accelerated time, so a 13-minute step takes seconds.
/// </summary>
/// <remarks>
/// Every simulated minute: send the minute's traffic at the current weight, advance the virtual clock one minute,
/// scrape both services' <c>/metrics</c>, tick the rollout (which measures when a look is due) and print the decision.
/// Nothing is mocked between the services and the decision: real HTTP, real prometheus-net counters, the real scrape
/// parser, evaluator, analysis run and policy.
/// </remarks>
internal sealed class LiveDemo
{
    /// <summary>Gets the simulated start: midday, when traffic is at its peak.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>The fail-fast step looks at everything since it began (13 minutes: the 50-data-point rule at 15 s scrapes).</summary>
    public static readonly TimeSpan FailFastWindow = TimeSpan.FromMinutes(13);

    /// <summary>The soak step looks at a sliding 10 minutes (30 in the long preset; shortened so the demo stays short).</summary>
    public static readonly TimeSpan SoakWindow = TimeSpan.FromMinutes(10);

    /// <summary>A guard: the policy plans 23 simulated minutes; a demo that ran on past this would be a bug.</summary>
    private static readonly TimeSpan MaxSimulated = TimeSpan.FromMinutes(60);

    // Only the API is judged: /health and /metrics are requests too, but say nothing about the release.
    private static readonly LabelSelector CanaryApi = LabelSelector.Parse("version=\"canary\",endpoint=~\"/api/.*\"");
    private static readonly LabelSelector BaselineApi = LabelSelector.Parse("version=\"baseline\",endpoint=~\"/api/.*\"");

    private readonly TextWriter _output;
    private readonly VirtualClock _clock = new(Start);
    private readonly List<ObservedCheck> _checks = [];
    private ObservedCheck? _lastLook;

    private LiveDemo(TextWriter output) => _output = output;

    /// <summary>
    /// How much each endpoint matters to the business, whatever its traffic: /api/pay carries 6 % of the requests but
    /// 40 % of the weight, so 25 % errors there cost 10 points of weighted success rate (and 1.5 points of the plain
    /// aggregate, which a 95 % threshold never notices).
    /// </summary>
    public static EndpointWeights Weights => new()
    {
        ["/api/pay"] = 0.4,
        ["/api/checkout"] = 0.2,
        ["/api/search"] = 0.2,
        ["/api/products"] = 0.1,
        ["/api/cart"] = 0.1,
    };

    public static SuccessRateCriteria Criteria => new()
    {
        Weights = Weights,
        MinimumSuccessRate = 0.95,

        // Production keeps the default 50 (see SampleSize); at a few hundred requests a minute, a 5 % canary sees
        // /api/pay only 1.5 times a minute, so 10 lets the demo judge it within its 13-minute fail-fast step.
        MinimumRequestsPerEndpoint = 10,
    };

    /// <summary>Runs the live demo and returns its final decision with the evidence behind it.</summary>
    /// <param name="options">Healthy canary or not.</param>
    /// <param name="output">Where progress goes (the console, or a <see cref="StringWriter"/> in tests).</param>
    /// <param name="cancellationToken">Stops the demo.</param>
    public static async Task<LiveDemoResult> RunAsync(LiveDemoOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        return await new LiveDemo(output).RunCoreAsync(options, cancellationToken);
    }

    private async Task<LiveDemoResult> RunCoreAsync(LiveDemoOptions options, CancellationToken cancellationToken)
    {
        var realTime = Stopwatch.StartNew();
        await using var baseline = await DemoService.StartAsync(new ServiceOptions { Version = "baseline" }, cancellationToken);
        await using var canary = await DemoService.StartAsync(
            new ServiceOptions { Version = "canary", PayFailEvery = options.Healthy ? null : 4 }, cancellationToken);

        // One source scrapes both versions; the target labels tell their series apart, as pod labels would.
        using var source = new ScrapeTrafficSource(
            [
                new ScrapeTarget(baseline.MetricsAddress, new Dictionary<string, string> { ["version"] = "baseline" }),
                new ScrapeTarget(canary.MetricsAddress, new Dictionary<string, string> { ["version"] = "canary" }),
            ],
            TrafficConvention.PrometheusNet,
            timeProvider: _clock);
        using var load = new LoadGenerator(baseline.Address, canary.Address, options.Seed);
        var policy = BuildPolicy(source);

        WriteHeader(options, baseline, canary, policy);

        // The first scrape sees no request series yet, so every series that appears later counts from 0.
        await source.ScrapeAsync(cancellationToken);
        var rollout = new CanaryRollout(policy, _clock.GetUtcNow());
        var decision = await TickAsync(rollout, cancellationToken);
        int requests = 0, canaryRequests = 0;
        while (decision.Action == RolloutAction.Continue && _clock.GetUtcNow() - Start < MaxSimulated)
        {
            var minute = await load.DriveMinuteAsync(rollout.State.Weight, cancellationToken);
            (requests, canaryRequests) = (requests + minute.Baseline + minute.Canary, canaryRequests + minute.Canary);
            _clock.Advance(Minute);
            await source.ScrapeAsync(cancellationToken);
            decision = await TickAsync(rollout, cancellationToken);
        }

        var decidedAt = _clock.GetUtcNow();
        var (evidence, aggregate, baselineTraffic) = await ReadEvidenceAsync(source, cancellationToken);
        var result = new LiveDemoResult(decision, decidedAt, decidedAt - Start, realTime.Elapsed, requests, canaryRequests, evidence, aggregate, baselineTraffic);
        WriteSummary(result);
        return result;
    }

    /// <summary>The fail-fast policy: 5 % for 13 looks a minute apart, then a 10 % soak, then promotion.</summary>
    private CanaryPolicy BuildPolicy(ScrapeTrafficSource source)
    {
        var failFastCheck = Observe(new SuccessRateCheck(source, CanaryApi, FailFastWindow, Criteria), FailFastWindow);
        var soakCheck = Observe(new SuccessRateCheck(source, CanaryApi, SoakWindow, Criteria), SoakWindow);
        var failFast = new AnalysisMetric
        {
            Name = "success-rate",
            Check = failFastCheck,
            InitialDelay = Minute,
            Interval = Minute,
            Count = 13,
            FailureLimit = 0,       // fail fast: the first failed look rolls back
            InconclusiveLimit = 12, // early looks lack evidence on the rare endpoint; 13 without any verdict → ask a human
        };
        var soak = new AnalysisMetric
        {
            Name = "success-rate",
            Check = soakCheck,
            InitialDelay = Minute,
            Interval = Minute,
            Count = 10,
            FailureLimit = 0,
            InconclusiveLimit = 9,
        };
        return new CanaryPolicy(
            "demo-fail-fast",
            [
                CanaryStep.SetWeight(5),
                CanaryStep.Analysis("fail-fast", failFast),
                CanaryStep.SetWeight(10),
                CanaryStep.Analysis("soak", soak),
            ]);
    }

    /// <summary>
    /// Ticks until the rollout settles for this minute: after an Advance the next step starts at once (a controller
    /// requeues immediately), so setting a weight does not cost a simulated minute. Prints one line per tick.
    /// </summary>
    private async Task<RolloutDecision> TickAsync(CanaryRollout rollout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = _clock.GetUtcNow();
            var step = rollout.State.StepIndex;
            var decision = await rollout.TickAsync(now, cancellationToken);

            // The look taken in this tick, if any: its verdict and reason are the progress worth showing.
            var look = _checks.FirstOrDefault(c => c.Last?.At == now);
            _lastLook = look ?? _lastLook;
            var what = look?.Last is { } last ? $"{last.Result.Verdict}: {last.Result.Reason}" : decision.Reason;
            _output.WriteLine(Invariant(
                $"{now:HH:mm}  step {Math.Min(step + 1, rollout.Policy.Steps.Count)}/{rollout.Policy.Steps.Count} {StepLabel(rollout.Policy, step),-20} weight {decision.Weight,3} %  {decision.Action,-8}  {what}"));
            if (decision.Action != RolloutAction.Advance)
            {
                return decision;
            }
        }
    }

    /// <summary>The evidence of the deciding look, re-read from the same scrapes with the baseline beside it.</summary>
    private async Task<(CheckResult? Evidence, CheckResult? Aggregate, TrafficSnapshot? Baseline)> ReadEvidenceAsync(ScrapeTrafficSource source, CancellationToken cancellationToken)
    {
        if (_lastLook?.Last is not { } look)
        {
            return (null, null, null);
        }

        var (at, evidence, window) = (look.At, look.Result, _lastLook.Window);
        var canary = await source.ReadAsync(new TrafficQuery(CanaryApi, at, window), cancellationToken);
        var baseline = await source.ReadAsync(new TrafficQuery(BaselineApi, at, window), cancellationToken);
        var aggregate = SuccessRateEvaluator.Evaluate(canary, new SuccessRateCriteria { Weights = EndpointWeights.TrafficWeighted(), MinimumSuccessRate = Criteria.MinimumSuccessRate });
        return (evidence, aggregate, baseline);
    }

    private ObservedCheck Observe(IAnalysisCheck check, TimeSpan window)
    {
        var observed = new ObservedCheck(check, window);
        _checks.Add(observed);
        return observed;
    }

    private void WriteHeader(LiveDemoOptions options, DemoService baseline, DemoService canary, CanaryPolicy policy)
    {
        _output.WriteLine($"Canary.Analysis live demo: {(options.Healthy ? "a healthy canary" : "a canary whose /api/pay fails 25 % of requests")}, judged every simulated minute");
        _output.WriteLine($"  baseline {baseline.Address}   canary {canary.Address}   (Kestrel, prometheus-net, scraped at /metrics)");
        _output.WriteLine(Invariant($"  traffic  {LoadGenerator.RequestsPerMinute} requests per simulated minute, split by the canary's weight; /api/pay is 6 % of them"));
        _output.WriteLine($"  weights  {string.Join(", ", Weights.Select(w => $"{w.Key} {EvidenceTable.Percent(w.Value, 0)}"))}; weighted success rate ≥ 95 %");
        _output.WriteLine($"  policy   {string.Join(" → ", policy.Steps.Select(s => StepLabel(policy, policy.Steps.ToList().IndexOf(s))))} → promote");
        _output.WriteLine();
    }

    private void WriteSummary(LiveDemoResult result)
    {
        var decision = result.Decision;
        _output.WriteLine();
        _output.WriteLine(Invariant(
            $"Decision: {decision.Action.ToString().ToUpperInvariant()} at {result.DecidedAt:HH:mm} ({result.Simulated.TotalMinutes:0} simulated minutes, {result.RealTime.TotalSeconds:0.0} s real, {result.Requests} requests, {result.CanaryRequests} to the canary)"));
        _output.WriteLine($"  {decision.Reason}");
        if (result.Evidence is { } evidence && result.Aggregate is { } aggregate && result.Baseline is { } baseline)
        {
            _output.WriteLine();
            _output.WriteLine(Invariant($"Evidence of the deciding look: canary vs baseline over the {baseline.Window.TotalMinutes:0} minutes ending {baseline.End:HH:mm}"));
            _output.WriteLine();
            EvidenceTable.Write(_output, evidence, aggregate, baseline);
        }
    }

    private static string StepLabel(CanaryPolicy policy, int index)
    {
        if (index >= policy.Steps.Count)
        {
            return "(done)";
        }

        var step = policy.Steps[index];
        return step.Kind switch
        {
            CanaryStepKind.SetWeight => Invariant($"set weight {step.Weight} %"),
            CanaryStepKind.Analysis => $"analysis '{step.Name}'",
            _ => step.ToString(),
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What the live demo runs.</summary>
internal sealed class LiveDemoOptions
{
    /// <summary>Gets a value indicating whether the canary is healthy (promotion) rather than failing on /api/pay (rollback).</summary>
    public bool Healthy { get; init; }

    /// <summary>Gets the load generator's seed (the order of requests; the counts per minute do not depend on it).</summary>
    public int Seed { get; init; } = 42;
}

/// <summary>The live demo's outcome: the final decision, when, how long it took, and the evidence of the deciding look.</summary>
internal sealed record LiveDemoResult(
    RolloutDecision Decision,
    DateTimeOffset DecidedAt,
    TimeSpan Simulated,
    TimeSpan RealTime,
    int Requests,
    int CanaryRequests,
    CheckResult? Evidence,
    CheckResult? Aggregate,
    TrafficSnapshot? Baseline);
