using Canary.Analysis.Analysis;
using Canary.Analysis.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Canary.Analysis.Tests.Analysis;

public sealed class AnalysisRunTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static AnalysisMetric Metric(string script, int? count = 3, string name = "m", Action<AnalysisMetric>? configure = null)
    {
        var metric = new AnalysisMetric { Name = name, Check = new ScriptedCheck(script), Interval = Minute, Count = count };
        configure?.Invoke(metric);
        return metric;
    }

    /// <summary>Ticks every 10 s for up to <paramref name="limit"/> and returns the time the run completed.</summary>
    private static async Task<DateTimeOffset?> TickUntilDone(AnalysisRun run, TimeSpan limit)
    {
        for (var t = Start; t <= Start + limit; t += TimeSpan.FromSeconds(10))
        {
            await run.TickAsync(t);
            if (run.IsCompleted)
            {
                return t;
            }
        }

        return null;
    }

    [Fact]
    public async Task Count_AllPass_SuccessfulAfterTheLastMeasurementNotBefore()
    {
        var check = new ScriptedCheck("P");
        var run = new AnalysisRun([new AnalysisMetric { Name = "sr", Check = check, Interval = Minute, Count = 3, InitialDelay = TimeSpan.FromSeconds(30) }], Start);

        var done = await TickUntilDone(run, TimeSpan.FromMinutes(10));

        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        Assert.Equal([Start.AddSeconds(30), Start.AddSeconds(90), Start.AddSeconds(150)], check.Calls);
        Assert.Equal(Start.AddSeconds(150), done);
        Assert.Equal(3, run.Metrics[0].Successful);
    }

    [Fact]
    public async Task FailureLimitZero_FirstFailureFailsTheRunAndStopsOtherMetrics()
    {
        var other = new ScriptedCheck("P");
        var run = new AnalysisRun([Metric("PF"), new AnalysisMetric { Name = "other", Check = other, Interval = Minute, Count = 10 }], Start);

        var done = await TickUntilDone(run, TimeSpan.FromMinutes(30));

        Assert.Equal(AnalysisPhase.Failed, run.Phase);
        Assert.Equal(Start + Minute, done);
        Assert.Equal(2, other.Calls.Count);
        Assert.StartsWith("m: 1 failed measurement(s), more than the 0 tolerated; last: scripted Fail", run.Message, StringComparison.Ordinal);
        Assert.Null(run.NextMeasurementAt);
    }

    [Fact]
    public async Task FailureLimit_ToleratesThatManyFailures()
    {
        var tolerant = new AnalysisRun([Metric("FPP", configure: m => m.FailureLimit = 1)], Start);
        var strict = new AnalysisRun([Metric("FPF", configure: m => m.FailureLimit = 1)], Start);

        await TickUntilDone(tolerant, TimeSpan.FromMinutes(10));
        await TickUntilDone(strict, TimeSpan.FromMinutes(10));

        Assert.Equal(AnalysisPhase.Successful, tolerant.Phase);
        Assert.Equal(AnalysisPhase.Failed, strict.Phase);
    }

    [Fact]
    public async Task Errors_DoNotCount_AreRetriedAfterTenSeconds_AndFiveInARowAreError()
    {
        var check = new ScriptedCheck("PEP");
        var run = new AnalysisRun([new AnalysisMetric { Name = "m", Check = check, Interval = Minute, Count = 2 }], Start);
        await TickUntilDone(run, TimeSpan.FromMinutes(10));

        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        Assert.Equal([Start, Start + Minute, Start + Minute + TimeSpan.FromSeconds(10)], check.Calls);
        Assert.Equal((2, 1), (run.Metrics[0].Count, run.Metrics[0].Errors));

        var broken = new AnalysisRun([Metric("E")], Start);
        await TickUntilDone(broken, TimeSpan.FromMinutes(10));
        Assert.Equal(AnalysisPhase.Error, broken.Phase);
        Assert.Equal(5, broken.Metrics[0].Errors);
        Assert.Contains("5 errors in a row, more than the 4 tolerated; last: InvalidOperationException: provider down", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_InterleavedWithSuccesses_NeverReachTheConsecutiveLimit()
    {
        var run = new AnalysisRun([Metric("EEEEPEEEEPEEEEP", count: 3)], Start);
        await TickUntilDone(run, TimeSpan.FromMinutes(30));

        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        Assert.Equal(12, run.Metrics[0].Errors);
    }

    [Fact]
    public async Task Inconclusive_OverTheLimit_RunInconclusive()
    {
        var run = new AnalysisRun([Metric("PIPI", count: 4, configure: m => m.InconclusiveLimit = 1)], Start);
        await TickUntilDone(run, TimeSpan.FromMinutes(10));

        Assert.Equal(AnalysisPhase.Inconclusive, run.Phase);
        Assert.Equal(2, run.Metrics[0].Inconclusive);
    }

    [Fact]
    public async Task Count_ReachedWithoutASuccessfulMeasurement_InconclusiveNotSuccessful()
    {
        // Argo: Successful, since neither limit is breached. Here: nothing passed, so nothing may be promoted.
        var allInconclusive = new AnalysisRun([Metric("III", configure: m => m.InconclusiveLimit = 3)], Start);
        var failedWithinLimit = new AnalysisRun([Metric("FIF", configure: m => { m.InconclusiveLimit = 3; m.FailureLimit = 2; })], Start);
        var onePass = new AnalysisRun([Metric("IIP", configure: m => m.InconclusiveLimit = 3)], Start);

        await TickUntilDone(allInconclusive, TimeSpan.FromMinutes(10));
        await TickUntilDone(failedWithinLimit, TimeSpan.FromMinutes(10));
        await TickUntilDone(onePass, TimeSpan.FromMinutes(10));

        Assert.Equal(AnalysisPhase.Inconclusive, allInconclusive.Phase);
        Assert.StartsWith("m: 3 measurement(s) taken, none successful; last: scripted Inconclusive", allInconclusive.Message, StringComparison.Ordinal);
        Assert.Equal(AnalysisPhase.Inconclusive, failedWithinLimit.Phase);
        Assert.Equal(AnalysisPhase.Successful, onePass.Phase);
    }

    [Fact]
    public async Task Terminate_Background_AfterOnlyInconclusiveMeasurements_Inconclusive()
    {
        var run = new AnalysisRun([Metric("I", count: null, configure: m => m.InconclusiveLimit = 10)], Start, background: true);
        await run.TickAsync(Start);
        await run.TickAsync(Start + Minute);
        run.Terminate("promoted");

        Assert.Equal(AnalysisPhase.Inconclusive, run.Phase);
        Assert.Contains("Terminated before any successful measurement", run.Metrics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsecutiveSuccessLimit_CompletesEarly_OrEndsInconclusiveAtCount()
    {
        var early = new AnalysisRun([Metric("PPP", count: 10, configure: m => m.ConsecutiveSuccessLimit = 2)], Start);
        await TickUntilDone(early, TimeSpan.FromMinutes(30));
        Assert.Equal((AnalysisPhase.Successful, 2), (early.Phase, early.Metrics[0].Count));

        var never = new AnalysisRun([Metric("PIP", count: 3, configure: m => { m.ConsecutiveSuccessLimit = 3; m.InconclusiveLimit = 1; })], Start);
        await TickUntilDone(never, TimeSpan.FromMinutes(30));
        Assert.Equal(AnalysisPhase.Inconclusive, never.Phase);

        var onlySuccessLimit = new AnalysisRun([Metric("PIP", count: 3, configure: m => { m.ConsecutiveSuccessLimit = 3; m.InconclusiveLimit = 1; m.FailureLimit = -1; })], Start);
        await TickUntilDone(onlySuccessLimit, TimeSpan.FromMinutes(30));
        Assert.Equal(AnalysisPhase.Failed, onlySuccessLimit.Phase);
    }

    [Fact]
    public async Task DryRun_FailingMetricDoesNotDecide()
    {
        var run = new AnalysisRun([Metric("F", name: "experimental", configure: m => m.DryRun = true), Metric("P", name: "real")], Start);
        await TickUntilDone(run, TimeSpan.FromMinutes(10));

        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        Assert.Equal(AnalysisPhase.Failed, run.Metrics[0].Phase);
    }

    [Fact]
    public void IndefiniteMetric_RejectedInAStep_AllowedInBackground()
    {
        var ex = Assert.Throws<ArgumentException>(() => new AnalysisRun([Metric("P", count: null)], Start));
        Assert.Contains("would never complete and would block its step", ex.Message, StringComparison.Ordinal);

        var background = new AnalysisRun([Metric("P", count: null)], Start, background: true);
        Assert.True(background.IsBackground);
    }

    [Fact]
    public async Task Terminate_Background_SuccessfulWhenMeasured_InconclusiveWhenNot()
    {
        var measured = new AnalysisRun([Metric("P", count: null)], Start, background: true);
        await measured.TickAsync(Start);
        await measured.TickAsync(Start + Minute);
        measured.Terminate("promoted");

        Assert.Equal(AnalysisPhase.Successful, measured.Phase);
        Assert.Equal("All 1 metric(s) successful (terminated: promoted).", measured.Message);

        var unmeasured = new AnalysisRun([Metric("P", count: null, configure: m => m.InitialDelay = TimeSpan.FromHours(1))], Start, background: true);
        await unmeasured.TickAsync(Start);
        unmeasured.Terminate("promoted");
        Assert.Equal(AnalysisPhase.Inconclusive, unmeasured.Phase);
    }

    [Fact]
    public async Task History_IsBoundedWhileCountersCoverEverything()
    {
        var run = new AnalysisRun([Metric("P", count: null, configure: m => m.HistoryLimit = 10)], Start, background: true);
        for (var i = 0; i < 1440; i++)
        {
            await run.TickAsync(Start + (i * Minute));
        }

        var status = run.Metrics[0];
        Assert.Equal(1440, status.Successful);
        Assert.Equal(10, status.History.Count);
        Assert.Equal(Start + (1439 * Minute), status.History[^1].FinishedAt);
        Assert.Equal(AnalysisPhase.Running, run.Phase);
    }

    [Fact]
    public async Task RunAsync_WithFakeTime_CompletesInVirtualTime()
    {
        var time = new FakeTimeProvider(Start);
        var check = new ScriptedCheck("P");
        var run = new AnalysisRun([new AnalysisMetric { Name = "m", Check = check, Interval = TimeSpan.FromMinutes(15), Count = 4 }], Start);

        var task = run.RunAsync(time);
        for (var measured = 1; measured < 4; measured++)
        {
            // Advance only once the run has taken the previous measurement and is waiting on the fake clock.
            await WaitUntil(() => check.Calls.Count == measured);
            time.Advance(TimeSpan.FromMinutes(15));
        }

        Assert.Equal(AnalysisPhase.Successful, await task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(4, check.Calls.Count);
        Assert.Equal(Start + TimeSpan.FromMinutes(45), check.Calls[^1]);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    [Theory]
    [InlineData(5, -1, 0, 0, "FailureLimit and ConsecutiveSuccessLimit cannot both be disabled")]
    [InlineData(2, 3, 0, 0, "Count (2) must be at least FailureLimit + ConsecutiveSuccessLimit (3)")]
    [InlineData(2, 0, 3, 0, "Count (2) must be at least InconclusiveLimit (3)")]
    [InlineData(2, -1, 0, 3, "Count (2) must be at least ConsecutiveSuccessLimit (3)")]
    [InlineData(5, -2, 0, 0, "limits out of range: FailureLimit -2")]
    public void Validate_ArgoRules_MessagesNameMetricAndValues(int count, int failureLimit, int inconclusiveLimit, int successLimit, string fragment)
    {
        var metric = Metric("P", count: count, name: "error-rate", configure: m =>
        {
            m.FailureLimit = failureLimit;
            m.InconclusiveLimit = inconclusiveLimit;
            m.ConsecutiveSuccessLimit = successLimit;
        });

        var ex = Assert.Throws<ArgumentException>(() => metric.Validate());
        Assert.StartsWith("Analysis metric 'error-rate': ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CountAboveOneWithoutInterval_Rejected()
    {
        var metric = new AnalysisMetric { Name = "m", Check = new ScriptedCheck("P"), Count = 3 };
        Assert.Contains("Interval must be set when Count (3) is greater than 1", Assert.Throws<ArgumentException>(() => metric.Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DuplicateNames_Rejected() =>
        Assert.Contains("'m' appears twice", Assert.Throws<ArgumentException>(() => new AnalysisRun([Metric("P"), Metric("P")], Start)).Message, StringComparison.Ordinal);
}
