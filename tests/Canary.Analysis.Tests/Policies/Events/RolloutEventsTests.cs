using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Policies;
using Canary.Analysis.Policies.Events;
using Canary.Analysis.Tests.TestSupport;

namespace Canary.Analysis.Tests.Policies.Events;

public sealed class RolloutEventsTests
{
    internal static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    internal static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    internal static IReadOnlyList<EndpointResult> Rows(EndpointStatus pay = EndpointStatus.LimitBreached, EndpointStatus rare = EndpointStatus.Judged) =>
    [
        new("/pay", pay, 412, 375, 0.91, 0.7, 0.637, 0.95, 0.995),
        new("/search", EndpointStatus.Judged, 900, 899, 0.999, 0.2, 0.1998, 0.95, 0.998),
        new("/rare", rare, 3, 3, 1, 0.1, 0.1, 0.95, 0.99),
    ];

    internal static CheckResult Result(Verdict verdict, double value, TimeSpan? needed = null, IReadOnlyList<EndpointResult>? rows = null) =>
        new("success-rate", verdict, value, 0.95, $"scripted {verdict}", rows ?? Rows(EndpointStatus.Judged))
        {
            EvidenceKind = EvidenceKind.EValue,
            EvidenceValue = value * 20,
            EvidenceBoundary = 20,
            TimeNeeded = needed,
        };

    internal static AnalysisMetric Metric(Func<int, CheckResult> look, int count = 3) =>
        new() { Name = "success-rate", Check = new ResultCheck(look), Interval = Minute, Count = count };

    internal static CanaryPolicy Policy(AnalysisMetric metric, int? replicas = null) => new("checkout",
    [
        CanaryStep.SetWeight(5),
        CanaryStep.Analysis("first", metric),
        CanaryStep.SetWeight(50),
        CanaryStep.Pause(TimeSpan.FromMinutes(30)),
    ])
    { Replicas = replicas };

    /// <summary>Ticks once a minute until the rollout settles for good (promoted, rolled back or paused for a human).</summary>
    internal static async Task<List<RolloutDecision>> Run(CanaryRollout rollout, DateTimeOffset from, TimeSpan limit)
    {
        var decisions = new List<RolloutDecision>();
        for (var t = from; t <= from + limit; t += Minute)
        {
            var decision = await rollout.TickAsync(t);
            decisions.Add(decision);
            if (decision.Action is RolloutAction.Promote or RolloutAction.Rollback or RolloutAction.Pause)
            {
                break;
            }
        }

        return decisions;
    }

    private static RolloutEventKind[] Kinds(EventCollector events) =>
        [.. events.Events.Where(e => e is not ChecksMeasured).Select(e => e.Kind)];

    [Fact]
    public async Task HealthyRun_StartsCompletesEachStepChangesWeightAndPromotes_ThenCompletes()
    {
        var rollout = new CanaryRollout(Policy(Metric(_ => Result(Verdict.Pass, 0.99))), Start) { HeartbeatInterval = TimeSpan.Zero };
        var events = new EventCollector();
        rollout.Subscribe(events);

        await Run(rollout, Start, TimeSpan.FromHours(2));

        Assert.Equal(
        [
            RolloutEventKind.Started, RolloutEventKind.StepCompleted, RolloutEventKind.WeightChanged,
            RolloutEventKind.StepCompleted,
            RolloutEventKind.StepCompleted, RolloutEventKind.WeightChanged,
            RolloutEventKind.StepCompleted, RolloutEventKind.WeightChanged, RolloutEventKind.Promoted,
        ], Kinds(events));
        Assert.Equal([(0, 5), (5, 50), (50, 100)], events.Of<WeightChanged>().Select(w => (w.FromWeight, w.ToWeight)));
        var analysis = events.Of<StepCompleted>().Single(s => s.Step?.Kind == CanaryStepKind.Analysis);
        Assert.Equal(1, analysis.StepIndex);
        Assert.Equal(3, Assert.Single(analysis.Checks).Successful);
        Assert.Equal(0.99, Assert.Single(analysis.Results).Value);
        Assert.Equal(3, events.Of<ChecksMeasured>().Count());
        Assert.All(events.Events, e => Assert.Equal("checkout", e.Rollout));
        Assert.Equal(1, events.Completed);
        Assert.Equal(DecisionCause.PauseElapsed, events.Of<RolloutPromoted>().Single().Decision.Cause);
    }

    [Fact]
    public async Task WeightChanged_StatesRequestedAndEffectiveWeights_FromAndTo()
    {
        var rollout = new CanaryRollout(Policy(Metric(_ => Result(Verdict.Pass, 0.99)), replicas: 4), Start);
        var events = new EventCollector();
        rollout.Subscribe(events);

        await Run(rollout, Start, TimeSpan.FromHours(2));

        var changes = events.Of<WeightChanged>().ToList();
        Assert.Equal((0, 0.0, 5), (changes[0].FromWeight, changes[0].FromEffectiveWeight, changes[0].ToWeight));
        Assert.Equal(ReplicaSplit.ForWeight(4, 5).EffectiveWeight, changes[0].ToEffectiveWeight);
        Assert.NotEqual(5.0, changes[0].ToEffectiveWeight);
        Assert.Equal((changes[0].ToEffectiveWeight, ReplicaSplit.ForWeight(4, 50).EffectiveWeight), (changes[1].FromEffectiveWeight, changes[1].ToEffectiveWeight));
    }

    [Fact]
    public async Task Resume_ContinuesTheEvents_WithoutASecondStart()
    {
        var policy = Policy(Metric(_ => Result(Verdict.Pass, 0.99)));
        var uninterrupted = new CanaryRollout(policy, Start);
        var all = new EventCollector();
        uninterrupted.Subscribe(all);
        await Run(uninterrupted, Start, TimeSpan.FromHours(2));

        var restarted = new CanaryRollout(Policy(Metric(_ => Result(Verdict.Pass, 0.99))), Start);
        var before = new EventCollector();
        restarted.Subscribe(before);
        await restarted.TickAsync(Start);
        await restarted.TickAsync(Start + Minute);
        var resumed = CanaryRollout.Resume(Policy(Metric(_ => Result(Verdict.Pass, 0.99))), RolloutState.FromJson(restarted.State.ToJson()));
        var after = new EventCollector();
        resumed.Subscribe(after);
        await Run(resumed, Start + (2 * Minute), TimeSpan.FromHours(2));

        Assert.DoesNotContain(after.Events, e => e is RolloutStarted);
        Assert.Equal(Kinds(all), [.. Kinds(before), .. Kinds(after)]);
    }

    [Fact]
    public async Task FailedAnalysis_NamesTheDecidingCheckAndEndpoint_RollsBackAndCompletes()
    {
        var rollout = new CanaryRollout(Policy(Metric(look => look == 0 ? Result(Verdict.Pass, 0.99) : Result(Verdict.Fail, 0.91, rows: Rows()))), Start);
        var events = new EventCollector();
        rollout.Subscribe(events);

        var decisions = await Run(rollout, Start, TimeSpan.FromHours(1));

        var last = events.Events.Where(e => e.Decision == decisions[^1]).Select(e => e.Kind);
        Assert.Equal([RolloutEventKind.ChecksMeasured, RolloutEventKind.AnalysisFailed, RolloutEventKind.WeightChanged, RolloutEventKind.RolledBack], last);
        var failed = events.Of<AnalysisFailed>().Single();
        Assert.Equal(("success-rate", AnalysisPhase.Failed, false, false), (failed.Check.Name, failed.Check.Phase, failed.Background, failed.IsError));
        Assert.Equal(("/pay", 0.91, 0.95, 412.0), (failed.Endpoint?.Endpoint, failed.Endpoint?.Value, failed.Endpoint?.Limit, failed.Endpoint?.Requests));
        Assert.Equal(0.91, failed.Result?.Value);
        Assert.Equal((5, 0), (events.Of<WeightChanged>().Last().FromWeight, events.Of<WeightChanged>().Last().ToWeight));
        Assert.Equal(1, events.Completed);

        // A settled rollout repeats its decision: nothing new is published.
        var count = events.Events.Count;
        await rollout.TickAsync(Start + TimeSpan.FromHours(2));
        Assert.Equal(count, events.Events.Count);
    }

    [Fact]
    public async Task FailedSequentialCheck_DecidingEndpointIsTheLargestPartOfTheEvidence()
    {
        IReadOnlyList<EndpointResult> rows =
        [
            new("/pay", EndpointStatus.Judged, 412, 400, 0.97, 0.7, 0.4, 100),
            new("/rare", EndpointStatus.Judged, 30, 20, 0.66, 0.3, 0.8, 200),
        ];
        var rollout = new CanaryRollout(Policy(Metric(_ => Result(Verdict.Fail, 1.2, rows: rows))), Start);
        var events = new EventCollector();
        rollout.Subscribe(events);

        await Run(rollout, Start, TimeSpan.FromHours(1));

        Assert.Equal("/rare", events.Of<AnalysisFailed>().Single().Endpoint?.Endpoint);
    }

    [Theory]
    [InlineData(Verdict.Fail)]
    [InlineData(Verdict.Inconclusive)]
    public async Task BackgroundAnalysis_FailedOrInconclusive_SaysItWasTheBackground(Verdict verdict)
    {
        var background = new AnalysisMetric { Name = "latency", Check = new ResultCheck(_ => Result(verdict, 0.5, rows: Rows())), Interval = Minute, Count = 3 };
        var policy = new CanaryPolicy("checkout", [CanaryStep.SetWeight(5), CanaryStep.Pause(TimeSpan.FromHours(1))], [background]);
        var rollout = new CanaryRollout(policy, Start);
        var events = new EventCollector();
        rollout.Subscribe(events);

        await Run(rollout, Start, TimeSpan.FromHours(2));

        if (verdict == Verdict.Fail)
        {
            var failed = events.Of<AnalysisFailed>().Single();
            Assert.Equal(("latency", true, "/pay"), (failed.Check.Name, failed.Background, failed.Endpoint?.Endpoint));
            Assert.Single(events.Of<RolloutRolledBack>());
        }
        else
        {
            var paused = events.Of<PausedInconclusive>().Single();
            Assert.Equal(("latency", true), (Assert.Single(paused.Missing).Check.Name, paused.Background));
            Assert.Empty(events.Of<RolloutRolledBack>());
        }
    }

    [Fact]
    public async Task AnalysisError_IsAnAnalysisFailedEvent_MarkedAsError_AfterItsProviderErrors()
    {
        var metric = new AnalysisMetric { Name = "success-rate", Check = new ResultCheck(_ => throw new MetricQueryException("up", MetricQueryErrorKind.Transport, "refused")), Interval = Minute, Count = 3, ConsecutiveErrorLimit = 1 };
        var rollout = new CanaryRollout(Policy(metric), Start);
        var events = new EventCollector();
        rollout.Subscribe(events);

        await Run(rollout, Start, TimeSpan.FromHours(1));

        var failed = events.Of<AnalysisFailed>().Single();
        Assert.Equal((AnalysisPhase.Error, true, (EndpointResult?)null), (failed.Check.Phase, failed.IsError, failed.Endpoint));
        Assert.Equal([MetricQueryErrorKind.Transport, MetricQueryErrorKind.Transport], events.Of<ProviderError>().Select(e => e.ErrorKind));
    }

    [Fact]
    public async Task InconclusiveAnalysis_PausesWithWhatIsMissingAndTheTimeStillNeeded()
    {
        var needed = TimeSpan.FromMinutes(130);
        var rollout = new CanaryRollout(Policy(Metric(_ => Result(Verdict.Inconclusive, 0.2, needed, Rows(EndpointStatus.Judged, EndpointStatus.Insufficient)))), Start);
        var events = new EventCollector();
        rollout.Subscribe(events);

        await Run(rollout, Start, TimeSpan.FromHours(1));

        var paused = events.Of<PausedInconclusive>().Single();
        var missing = Assert.Single(paused.Missing);
        Assert.Equal(("success-rate", needed), (missing.Check.Name, missing.TimeNeeded));
        Assert.Equal(["/rare"], missing.Endpoints.Select(e => e.Endpoint));
        Assert.Equal((needed, false), (paused.TimeNeeded, paused.Background));
        Assert.Equal(needed, RolloutEvents.TimeNeeded(paused.Decision));
        Assert.Equal(0, events.Completed);
    }

    [Fact]
    public async Task ManualCommands_AreEvents_WithWhoAndWhy_AndARetryIsSeenByANewSubscriber()
    {
        var rollout = new CanaryRollout(Policy(Metric(_ => Result(Verdict.Inconclusive, double.NaN))), Start);
        var events = new EventCollector();
        rollout.Subscribe(events);
        await rollout.TickAsync(Start);

        rollout.Apply(ManualAction.Abort, "alice", "pager says no", Start + Minute);
        var afterAbort = new EventCollector();
        rollout.Subscribe(afterAbort);
        rollout.Apply(ManualAction.Retry, "bob", "fixed the config", Start + (2 * Minute));

        var abort = events.Of<ManualOverrideApplied>().Single();
        Assert.Equal((ManualAction.Abort, "alice", "pager says no", 1), (abort.Action, abort.By, abort.Reason, abort.Command.AtStep));
        Assert.Equal([RolloutEventKind.ManualOverride, RolloutEventKind.WeightChanged, RolloutEventKind.RolledBack], events.Events.Skip(3).Select(e => e.Kind));
        Assert.Equal(1, events.Completed);
        var retry = Assert.Single(afterAbort.Events);
        Assert.Equal((ManualAction.Retry, "bob"), (((ManualOverrideApplied)retry).Action, ((ManualOverrideApplied)retry).By));
    }

    [Fact]
    public async Task ProviderErrors_NameTheMetricAndTheKind()
    {
        var rollout = new CanaryRollout(Policy(Metric(look => look switch
        {
            0 => throw new MetricQueryException("up", MetricQueryErrorKind.Timeout, "no answer in 30 s"),
            1 => throw new InvalidOperationException("broken check"),
            _ => Result(Verdict.Pass, 0.99),
        })), Start);
        var events = new EventCollector();
        rollout.Subscribe(events);

        await Run(rollout, Start, TimeSpan.FromHours(2));

        var errors = events.Of<ProviderError>().ToList();
        Assert.Equal([("success-rate", MetricQueryErrorKind.Timeout, 1), ("success-rate", (MetricQueryErrorKind?)null, 2)], errors.Select(e => (e.Metric, e.ErrorKind, e.ConsecutiveErrors)));
        Assert.All(errors, e => Assert.Contains(e, events.Of<ChecksMeasured>().Select(m => (RolloutEvent)m).Concat(errors)));
        Assert.Contains(events.Events, e => e is RolloutPromoted);
    }

    [Fact]
    public async Task Heartbeat_DuringALongPause_OncePerInterval_AndNoneWhenDisabled()
    {
        static CanaryPolicy Soak() => new("soak", [CanaryStep.SetWeight(5), CanaryStep.Pause(TimeSpan.FromHours(2))]);
        var rollout = new CanaryRollout(Soak(), Start) { HeartbeatInterval = TimeSpan.FromMinutes(30) };
        var events = new EventCollector();
        rollout.Subscribe(events);
        var quiet = new CanaryRollout(Soak(), Start) { HeartbeatInterval = TimeSpan.Zero };
        var none = new EventCollector();
        quiet.Subscribe(none);

        await Run(rollout, Start, TimeSpan.FromHours(3));
        await Run(quiet, Start, TimeSpan.FromHours(3));

        var beats = events.Of<RolloutHeartbeat>().ToList();
        Assert.Equal([30, 60, 90], beats.Select(b => (int)(b.At - Start).TotalMinutes));
        Assert.All(beats, b => Assert.Equal(((int)(b.At - Start).TotalMinutes, 5), ((int)b.InStepFor.TotalMinutes, b.Decision.Weight)));
        Assert.Empty(none.Of<RolloutHeartbeat>());
    }

    [Fact]
    public async Task ThrowingSubscriber_ChangesNoDecision_OthersStillGetEveryEvent_AndTheFailureIsLogged()
    {
        Func<int, CheckResult> script = look => look < 2 ? Result(Verdict.Pass, 0.99) : Result(Verdict.Fail, 0.91, rows: Rows());
        var plain = new CanaryRollout(Policy(Metric(script)), Start);
        var expected = await Run(plain, Start, TimeSpan.FromHours(1));
        var logger = new CapturingLogger();
        var observed = new CanaryRollout(Policy(Metric(script)), Start) { Logger = logger };
        observed.Subscribe(new ThrowingSubscriber());
        var events = new EventCollector();
        observed.Subscribe(events);

        var decisions = await Run(observed, Start, TimeSpan.FromHours(1));

        Assert.Equal(expected.Select(d => (d.Action, d.Reason, d.State)), decisions.Select(d => (d.Action, d.Reason, d.State)));
        Assert.Equal(events.Events.Count + 1, logger.Entries.Count);
        Assert.All(logger.Entries, e => Assert.Equal((1100, "RolloutSubscriberFailed", "checkout"), (e.EventId.Id, e.EventId.Name, e.State["Rollout"])));
        Assert.Equal("Completed", logger.Entries[^1].State["EventKind"]);
        Assert.Equal(1, events.Completed);
    }

    [Fact]
    public async Task DisposedSubscription_GetsNothingMore()
    {
        var rollout = new CanaryRollout(Policy(Metric(_ => Result(Verdict.Pass, 0.99))), Start);
        var events = new EventCollector();
        var subscription = rollout.Subscribe(events);
        await rollout.TickAsync(Start);
        var seen = events.Events.Count;

        subscription.Dispose();
        subscription.Dispose();
        await Run(rollout, Start + Minute, TimeSpan.FromHours(2));

        Assert.Equal(3, seen);
        Assert.Equal(seen, events.Events.Count);
        Assert.Equal(0, events.Completed);
    }

    [Fact]
    public async Task Between_IsPure_NothingHappened_NoEvent()
    {
        var policy = Policy(Metric(_ => Result(Verdict.Pass, 0.99)));
        var rollout = new CanaryRollout(policy, Start);
        var first = await rollout.TickAsync(Start);
        var look = await rollout.TickAsync(Start + TimeSpan.FromSeconds(5));
        var before = rollout.State;
        var idle = await rollout.TickAsync(Start + TimeSpan.FromSeconds(10));

        Assert.Empty(RolloutEvents.Between(policy, before, idle));
        Assert.Empty(RolloutEvents.Between(policy, before, idle, TimeSpan.FromMinutes(30), Start));
        Assert.IsType<RolloutHeartbeat>(Assert.Single(RolloutEvents.Between(policy, before, idle, TimeSpan.FromSeconds(5), Start)));
        Assert.IsType<ChecksMeasured>(Assert.Single(RolloutEvents.Between(policy, first.State, look)));
        Assert.Equal(
            [RolloutEventKind.Started, RolloutEventKind.StepCompleted, RolloutEventKind.WeightChanged],
            RolloutEvents.Between(policy, RolloutState.Start(policy, Start), first).Select(e => e.Kind));
        Assert.Equal(
            RolloutEvents.Between(policy, RolloutState.Start(policy, Start), first).Select(e => e.GetType()),
            RolloutEvents.Between(policy, RolloutState.Start(policy, Start), first).Select(e => e.GetType()));
    }

    private sealed class ThrowingSubscriber : IObserver<RolloutEvent>
    {
        public void OnCompleted() => throw new InvalidOperationException("completion handler broke");

        public void OnError(Exception error)
        {
        }

        public void OnNext(RolloutEvent value) => throw new InvalidOperationException("handler broke");
    }
}
