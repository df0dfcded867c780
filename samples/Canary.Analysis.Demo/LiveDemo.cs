using System.Diagnostics;
using System.Globalization;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Reports;
using Canary.Analysis.Traffic;
using Canary.Analysis.Metrics.Scrape;

namespace Canary.Analysis.Demo;

/// <summary>
/// The main job, live: a baseline and a canary service on 127.0.0.1, users sending traffic split by the canary's
/// weight, and a fail-fast canary policy deciding every simulated minute from direct <c>/metrics</c> scrapes — in
/// accelerated time, so a 13-minute step takes seconds.
/// </summary>
/// <remarks>
/// Every simulated minute: send the minute's traffic at the canary's current share, advance the virtual clock one
/// minute, scrape both services' <c>/metrics</c>, tick the rollout (which measures when a look is due) and print the
/// decision. Nothing is mocked between the services and the decision: real HTTP, real prometheus-net counters, the
/// real scrape parser, checks, analysis run, policy, linter and manual commands.
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
    private const string ErrorRateMetric = "error-rate";
    private const string FloorMetric = "success-rate";

    // Only the API is judged: /health and /metrics are requests too, but say nothing about the release.
    private static readonly LabelSelector CanaryApi = LabelSelector.Parse("version=\"canary\",endpoint=~\"/api/.*\"");
    private static readonly LabelSelector BaselineApi = LabelSelector.Parse("version=\"baseline\",endpoint=~\"/api/.*\"");

    private readonly TextWriter _output;
    private readonly LiveDemoOptions _options;
    private readonly VirtualClock _clock = new(Start);
    private readonly Dictionary<int, CanaryShare> _shares = [];

    // Every decision, as it is handed out: the reports' looks over time and weight timeline (--report).
    private readonly RolloutReportBuilder _report = new();

    private LiveDemo(LiveDemoOptions options, TextWriter output) => (_options, _output) = (options, output);

    /// <summary>
    /// How much each endpoint matters to the business, whatever its traffic: /api/pay carries 8 % of the requests but
    /// 40 % of the weight, so 25 % errors there cost 10 points of weighted success rate (and 2 points of the plain
    /// aggregate, which a 95 % threshold never notices); the sequential check gives it 40 % of its α.
    /// </summary>
    public static EndpointWeights Weights => new()
    {
        ["/api/pay"] = 0.4,
        ["/api/checkout"] = 0.2,
        ["/api/search"] = 0.2,
        ["/api/products"] = 0.1,
        ["/api/cart"] = 0.1,
    };

    /// <summary>
    /// The fail-fast judge: per endpoint, "is the canary's error rate above the baseline's?", an always-valid
    /// sequential test that may look every minute and still raises a false alarm on a healthy canary with probability
    /// at most α = 5 % over all its looks (split by weight: /api/pay may use 2 %). It may fail at any count; it passes
    /// only once every endpoint has the default 50 canary requests and it has proven the canary's weighted success rate at
    /// most 10 points below the baseline's (always valid, 95 %): the coarse margin a 23-minute demo with a few canary
    /// requests a minute on /api/pay can prove. A real policy keeps the default 1 point and soaks long enough to prove it.
    /// </summary>
    public static SequentialErrorRateCriteria ErrorRateCriteria => new() { Weights = Weights, Alpha = 0.05, NonInferiorityMargin = 0.1 };

    /// <summary>
    /// The absolute floor: the weighted success rate must reach 95 % and each endpoint's own 90 %, judged once every endpoint
    /// has the default 50 canary requests (a busy-enough /api/pay gets them 10 minutes into the fail-fast step, see
    /// <see cref="LoadGenerator.Mix"/>). It catches what a comparison with the baseline cannot: a baseline that is itself
    /// failing. Its per-endpoint floor is the endpoints' limit on the scale of their success rates (the status metrics'
    /// <c>canary_endpoint_limit</c>); the sequential check states none, it compares each endpoint with its baseline.
    /// </summary>
    public static SuccessRateCriteria FloorCriteria => new() { Weights = Weights, MinimumSuccessRate = 0.95, MinimumEndpointSuccessRate = 0.9 };

    /// <summary>Runs the live demo and returns its final decision with the evidence behind it.</summary>
    /// <param name="options">Healthy canary or not, replicas, a manual command.</param>
    /// <param name="output">Where progress goes (the console, or a <see cref="StringWriter"/> in tests).</param>
    /// <param name="cancellationToken">Stops the demo.</param>
    public static async Task<LiveDemoResult> RunAsync(LiveDemoOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        return await new LiveDemo(options, output).RunCoreAsync(cancellationToken);
    }

    /// <summary>What the linter knows about where the policy runs: production's 15 s scrapes, the demo's traffic, the replicas.</summary>
    public static PolicyLintContext LintContext(int? replicas) => new()
    {
        // The policy is sized for 15 s scrapes (13 minutes = 50 data points); the demo scrapes once a simulated minute
        // only because its scrape source counts exact increases, which needs no finer sampling.
        ScrapeInterval = TimeSpan.FromSeconds(15),
        Replicas = replicas,
        RequestsPerSecond = LoadGenerator.Mix.Where(m => m.Path.StartsWith("/api/", StringComparison.Ordinal))
            .ToDictionary(m => m.Path, m => m.PerMinute / 60.0, StringComparer.Ordinal),
    };

    private async Task<LiveDemoResult> RunCoreAsync(CancellationToken cancellationToken)
    {
        var realTime = Stopwatch.StartNew();
        await using var baseline = await DemoService.StartAsync(new ServiceOptions { Version = "baseline" }, cancellationToken);
        await using var canary = await DemoService.StartAsync(
            new ServiceOptions { Version = "canary", PayFailEvery = _options.Healthy ? null : 4 }, cancellationToken);

        // One source scrapes both versions; the target labels tell their series apart, as pod labels would.
        using var source = new ScrapeTrafficSource(
            [
                new ScrapeTarget(baseline.MetricsAddress, new Dictionary<string, string> { ["version"] = "baseline" }),
                new ScrapeTarget(canary.MetricsAddress, new Dictionary<string, string> { ["version"] = "canary" }),
            ],
            TrafficConvention.PrometheusNet,
            timeProvider: _clock);
        using var load = new LoadGenerator(baseline.Address, canary.Address, _options.Seed);
        var policy = BuildPolicy(source);
        var lint = PolicyLinter.Lint(policy, LintContext(_options.Replicas));

        WriteHeader(baseline, canary, policy, lint);

        // The first scrape sees no request series yet, so every series that appears later counts from 0.
        await source.ScrapeAsync(cancellationToken);
        var rollout = new CanaryRollout(policy, _clock.GetUtcNow());
        using var status = StatusMetricsExport.For(rollout, _options);
        var decision = await TickAsync(rollout, cancellationToken);
        if (_options.Manual is { } manual)
        {
            decision = await ApplyAsync(rollout, manual, cancellationToken);
        }

        await (status?.SnapshotAsync(_clock.GetUtcNow(), cancellationToken) ?? Task.CompletedTask);

        int requests = 0, canaryRequests = 0;
        while (decision.Action == RolloutAction.Continue && _clock.GetUtcNow() - Start < MaxSimulated)
        {
            var minute = await load.DriveMinuteAsync(Share(rollout.State.Weight), cancellationToken);
            (requests, canaryRequests) = (requests + minute.Baseline + minute.Canary, canaryRequests + minute.Canary);
            _clock.Advance(Minute);
            await source.ScrapeAsync(cancellationToken);
            decision = await TickAsync(rollout, cancellationToken);
            await (status?.SnapshotAsync(_clock.GetUtcNow(), cancellationToken) ?? Task.CompletedTask);
        }

        var decidedAt = _clock.GetUtcNow();
        var evidence = await ReadEvidenceAsync(source, decision, cancellationToken);
        var result = new LiveDemoResult(decision, decidedAt, decidedAt - Start, realTime.Elapsed, requests, canaryRequests, _shares, lint, evidence, _report.Build());
        WriteSummary(result);
        await (status?.WriteAsync(_options.MetricsOut, _output, cancellationToken) ?? Task.CompletedTask);
        return result;
    }

    /// <summary>
    /// The fail-fast policy: 5 % for 13 looks a minute apart, then a 10 % soak of 10 looks, then promotion. Every look
    /// measures both checks; either failing rolls back (failure limit 0). One sequential check serves both steps, so its
    /// evidence carries over and its α bounds false rollbacks over the whole policy; the fail-fast step advances when it
    /// merely lacks data (the soak must still pass).
    /// </summary>
    private CanaryPolicy BuildPolicy(ScrapeTrafficSource source)
    {
        var errorRate = new SequentialErrorRateCheck(source, CanaryApi, BaselineApi, Minute, ErrorRateCriteria);
        return new(
            "demo-fail-fast",
            [
                CanaryStep.SetWeight(CanaryPolicies.FailFastWeight),
                CanaryStep.FailFastAnalysis("fail-fast", Metrics(source, errorRate, FailFastWindow, count: 13)),
                CanaryStep.SetWeight(CanaryPolicies.SoakWeight),
                CanaryStep.Analysis("soak", Metrics(source, errorRate, SoakWindow, count: 10)),
            ])
        {
            Replicas = _options.Replicas,
        };
    }

    /// <summary>The sequential check reads the minute since its previous look and keeps its history across the steps; the floor is per step.</summary>
    private static List<AnalysisMetric> Metrics(ScrapeTrafficSource source, SequentialErrorRateCheck errorRate, TimeSpan window, int count) =>
        [Metric(ErrorRateMetric, errorRate, count), Metric(FloorMetric, new SuccessRateCheck(source, CanaryApi, window, FloorCriteria), count)];

    private static AnalysisMetric Metric(string name, IAnalysisCheck check, int count) => new()
    {
        Name = name,
        Check = check,
        InitialDelay = Minute,
        Interval = Minute,
        Count = count,
        FailureLimit = 0,               // fail fast: the first failed look rolls back
        InconclusiveLimit = count - 1,  // early looks lack data on the rare endpoint; none conclusive → fail-fast advances, soak asks a human
    };

    /// <summary>The canary's real share at a requested weight: the weight itself behind a router, the pod share with replicas.</summary>
    private CanaryShare Share(int weight)
    {
        if (!_shares.TryGetValue(weight, out var share))
        {
            share = _options.Replicas is { } replicas ? CanaryShare.Pods(ReplicaSplit.ForWeight(replicas, weight)) : CanaryShare.Routed(weight);
            _shares[weight] = share;
        }

        return share;
    }

    /// <summary>
    /// Ticks until the rollout settles for this minute (<see cref="CanaryRollout.TickUntilSettledAsync"/>: after an Advance
    /// the next step starts at once), so setting a weight does not cost a simulated minute. Prints one line per decision.
    /// </summary>
    private Task<RolloutDecision> TickAsync(CanaryRollout rollout, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        return rollout.TickUntilSettledAsync(now, decision =>
        {
            _report.Add(decision);
            WriteTick(rollout.Policy, now, decision);
            if (decision is { Cause: DecisionCause.WeightSet, Split: { } split })
            {
                _output.WriteLine(Invariant(
                    $"       asked {decision.Weight} %, got {Share(decision.Weight)} with {split.Replicas} replicas ({split.Canary} canary, {split.Stable} stable): the load follows the pods"));
            }
        }, cancellationToken);
    }

    /// <summary>Gives the rollout a human command (recorded with who, why and when), then lets it act on it at once.</summary>
    private async Task<RolloutDecision> ApplyAsync(CanaryRollout rollout, ManualCommand manual, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var decision = rollout.Apply(manual.Action, manual.By, manual.Reason, now);
        _report.Add(decision);
        _output.WriteLine(Invariant($"{now:HH:mm}  manual command: {manual.Action} by {manual.By}: \"{manual.Reason}\" → {decision.Action}"));
        return decision.Action == RolloutAction.Continue ? await TickAsync(rollout, cancellationToken) : decision;
    }

    /// <summary>
    /// The evidence of the deciding look, from the decision itself (it carries the deciding step's analysis, a step that
    /// just completed included), with the baseline and the plain aggregate re-read from the same scrapes for comparison.
    /// </summary>
    private static async Task<DecidingEvidence?> ReadEvidenceAsync(ScrapeTrafficSource source, RolloutDecision decision, CancellationToken cancellationToken)
    {
        if (decision is not { Step: { } step, StepAnalysis: { } run }
            || Look(run, ErrorRateMetric) is not { } errorRate || Look(run, FloorMetric) is not { } floor
            || errorRate.Evidence is not { } errorRateResult || floor.Evidence is not { } floorResult)
        {
            return null;
        }

        // The sequential check's first look is a minute into the step, and its evidence starts one look window (a minute) before it.
        var (floorWindow, from) = (step.FailFast ? FailFastWindow : SoakWindow, run.StartedAt);
        var baseline = await source.ReadAsync(new TrafficQuery(BaselineApi, errorRate.FinishedAt, errorRate.FinishedAt - from), cancellationToken);
        var canary = await source.ReadAsync(new TrafficQuery(CanaryApi, floor.FinishedAt, floorWindow), cancellationToken);
        var aggregate = SuccessRateEvaluator.Evaluate(canary, new SuccessRateCriteria { Weights = EndpointWeights.TrafficWeighted(), MinimumSuccessRate = FloorCriteria.MinimumSuccessRate });
        return new DecidingEvidence(step.Name ?? string.Empty, errorRate.FinishedAt, errorRateResult, from, baseline, floorResult, floorWindow, aggregate);
    }

    private static Measurement? Look(AnalysisRunState run, string metric) => run.Metrics.Single(m => m.Name == metric).Last;

    private void WriteHeader(DemoService baseline, DemoService canary, CanaryPolicy policy, IReadOnlyList<LintFinding> lint)
    {
        var pay = LoadGenerator.Mix.Single(m => m.Path == "/api/pay").PerMinute;
        _output.WriteLine($"Canary.Analysis live demo: {(_options.Healthy ? "a healthy canary" : "a canary whose /api/pay fails 25 % of requests")}, judged every simulated minute");
        _output.WriteLine($"  baseline {baseline.Address}   canary {canary.Address}   (Kestrel, prometheus-net, scraped at /metrics)");
        _output.WriteLine(Invariant(
            $"  traffic  {LoadGenerator.RequestsPerMinute} requests per simulated minute, /api/pay {EvidenceTable.Percent(pay / (double)LoadGenerator.RequestsPerMinute, 0)} of them; {(_options.Replicas is { } r ? $"split by pods ({r} replicas, no mesh): the canary gets its share of pods" : "a traffic router gives the canary exactly its weight")}"));
        _output.WriteLine($"  weights  {string.Join(", ", Weights.Select(w => $"{w.Key} {EvidenceTable.Percent(w.Value, 0)}"))}");
        _output.WriteLine(Invariant($"  checks   error-rate: canary vs baseline per endpoint, sequential (always valid), α {EvidenceTable.Percent(ErrorRateCriteria.Alpha, 0)} over all looks, split by weight; may fail at any look, passes once it proves the weighted success rate at most {ErrorRateCriteria.NonInferiorityMargin * 100:0.#} points below the baseline's"));
        _output.WriteLine(Invariant($"           success-rate: weighted success rate ≥ {EvidenceTable.Percent(FloorCriteria.MinimumSuccessRate, 0)} and each endpoint's ≥ {EvidenceTable.Percent(FloorCriteria.MinimumEndpointSuccessRate ?? 0, 0)}, each endpoint judged from {FloorCriteria.MinimumRequestsPerEndpoint} canary requests"));
        _output.WriteLine($"  policy   {string.Join(" → ", policy.Steps.Select((s, i) => StepLabel(policy, i) + (s.Kind == CanaryStepKind.Analysis ? Invariant($" ({s.Metrics[0].Count} looks)") : string.Empty)))} → promote");
        WriteLint(lint);
        _output.WriteLine();
    }

    private void WriteLint(IReadOnlyList<LintFinding> lint)
    {
        var counts = string.Join(", ", lint.GroupBy(f => f.Severity).OrderByDescending(g => g.Key).Select(g => Invariant($"{g.Count()} {g.Key.ToString().ToLowerInvariant()}{(g.Count() > 1 && g.Key != LintSeverity.Info ? "s" : string.Empty)}")));
        _output.WriteLine($"  lint     PolicyLinter at 15 s scrapes with the demo's traffic: {(lint.Count == 0 ? "no findings" : counts)}");
        foreach (var finding in lint)
        {
            _output.WriteLine($"           {finding.Id} {finding.Severity}: {finding.Message}");
            if (finding.Severity == LintSeverity.Error)
            {
                _output.WriteLine($"             fix: {finding.Fix}");
            }
        }
    }

    private void WriteTick(CanaryPolicy policy, DateTimeOffset now, RolloutDecision decision)
    {
        // The looks taken in this tick, if any: their verdicts and the telling reason (a failure's, else the error-rate check's).
        var what = decision.Reason;
        if (decision.StepAnalysis is { } run && run.Metrics.Any(m => m.Last?.FinishedAt == now))
        {
            var results = new[] { ("error-rate", Look(run, ErrorRateMetric)?.Evidence), ("success-rate", Look(run, FloorMetric)?.Evidence) };
            var telling = results.FirstOrDefault(r => r.Item2?.Verdict == Verdict.Fail).Item2 ?? results[0].Item2;
            what = $"{string.Join(", ", results.Select(r => $"{r.Item1} {r.Item2?.Verdict.ToString() ?? "error"}"))}: {telling?.Reason}";
        }

        _output.WriteLine(Invariant(
            $"{now:HH:mm}  step {Math.Min(decision.StepIndex + 1, policy.Steps.Count)}/{policy.Steps.Count} {StepLabel(policy, decision.StepIndex),-20} weight {decision.Weight,3} %  {decision.Action,-8}  {what}"));
    }

    private void WriteSummary(LiveDemoResult result)
    {
        var decision = result.Decision;
        _output.WriteLine();
        _output.WriteLine(Invariant(
            $"Decision: {decision.Action.ToString().ToUpperInvariant()} at {result.DecidedAt:HH:mm} ({result.Simulated.TotalMinutes:0} simulated minute{(result.Simulated == Minute ? string.Empty : "s")}, {result.RealTime.TotalSeconds:0.0} s real, {result.Requests} requests, {result.CanaryRequests} to the canary)"));
        _output.WriteLine($"  {decision.Reason}");
        if (decision.Overrides.Count > 0)
        {
            _output.WriteLine();
            _output.WriteLine("Manual commands, recorded in the rollout state (RolloutState.Overrides) and named in every later decision:");
            foreach (var o in decision.Overrides)
            {
                _output.WriteLine(Invariant($"  {o.At:HH:mm}  {o.Action} by {o.By} at step {o.AtStep + 1}: \"{o.Reason}\""));
            }
        }

        if (result.Evidence is { } evidence)
        {
            _output.WriteLine();
            _output.WriteLine(Invariant($"Evidence of the deciding look ('{evidence.Step}' at {evidence.At:HH:mm}): canary vs baseline since {evidence.ErrorRateFrom:HH:mm}; floor over the last {evidence.FloorWindow.TotalMinutes:0} minutes"));
            _output.WriteLine();
            EvidenceTable.WriteLive(_output, evidence);
        }
        else
        {
            _output.WriteLine();
            _output.WriteLine(decision.State.AnalysisSkipped
                ? "No evidence: the analysis was skipped, so nothing judged this release; the record above says who decided so, and why."
                : "No evidence: no look was taken before the decision.");
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
