using Canary.Analysis.Analysis;
using Canary.Analysis.Policies;
using static Canary.Analysis.Tests.Policies.SavedRolloutStates;

namespace Canary.Analysis.Tests.Policies;

/// <summary>A saved state cannot promote: FromJson reads only well-formed version-2 (and version-1, migrated) states, Resume refuses what does not fit the policy.</summary>
public sealed class RolloutStateTests
{
    private static async Task<SavedRolloutState> Saved(string name) => (await CaptureAsync()).Single(s => s.Name == name);

    private static FormatException Malformed(string json) => Assert.Throws<FormatException>(() => RolloutState.FromJson(json));

    private static ArgumentException Refused(RolloutState state, CanaryPolicy? policy = null) =>
        Assert.Throws<ArgumentException>(() => CanaryRollout.Resume(policy ?? Policy(), state));

    private static string Replace(string json, string from, string to)
    {
        Assert.Contains(from, json, StringComparison.Ordinal);
        return json.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EverySavedState_RoundTrips_AndResumes()
    {
        foreach (var saved in await CaptureAsync())
        {
            var state = saved.State;
            Assert.Equal(saved.Json, state.ToJson());
            Assert.Equal(RolloutState.CurrentVersion, state.Version);
            Assert.StartsWith("{\"version\":2,", saved.Json, StringComparison.Ordinal);
            Assert.Equal(state.Status, CanaryRollout.Resume(saved.Policy(), state).State.Status);
        }
    }

    [Fact]
    public async Task StepIndexAtTheStepCount_WithoutPromotion_IsRefused()
    {
        var saved = await Saved("mid-analysis");

        var atEnd = saved.State with { StepIndex = Policy().Steps.Count, StepAnalysis = null };
        var error = Refused(atEnd);

        Assert.Contains("$.stepIndex = 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("only a promoted rollout is past its last step", error.Message, StringComparison.Ordinal);
        Assert.Equal("state", error.ParamName);
        Assert.Contains("$.stepIndex = -1", Refused(saved.State with { StepIndex = -1 }).Message, StringComparison.Ordinal);
        Assert.Contains("$.stepIndex = 8", Refused(saved.State with { StepIndex = 8 }).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"status\":\"Progressing\"", "\"status\":\"Aborted\",\"status\":\"Promoted\"", "$.status")]
    [InlineData("\"successful\":2", "\"successful\":2,\"successful\":3", "$.stepAnalysis.metrics[0].successful")]
    [InlineData("\"version\":2", "\"version\":2,\"version\":2", "$.version")]
    public async Task DuplicateKeys_AtEveryLevel_AreMalformed(string from, string to, string path)
    {
        var json = Replace((await Saved("mid-analysis")).Json, from, to);

        var error = Malformed(json);

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("appears more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicateKey_InAnOverride_IsMalformed()
    {
        var json = Replace((await Saved("skipped")).Json, "\"action\":\"SkipAnalysis\"", "\"action\":\"SkipAnalysis\",\"action\":\"Promote\"");

        Assert.Contains("$.overrides[0].action appears more than once (second value \"Promote\")", Malformed(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnalysisSkipped_IsDerivedFromTheOverrides_AndAVersion1FlagThatDisagrees_IsMalformed()
    {
        // Version 2 has no flag to disagree: skipped analysis is what the overrides say.
        var saved = await Saved("start");
        Assert.False(saved.State.AnalysisSkipped);
        Assert.True((await Saved("skipped")).State.AnalysisSkipped);
        Assert.Contains("$.analysisSkipped is not a field of format version 2", Malformed(Replace(saved.Json, "\"overrides\":[]", "\"analysisSkipped\":true,\"overrides\":[]")).Message, StringComparison.Ordinal);

        // Version 1 had the flag: it must agree with the overrides (it used to be refused by Resume, now by FromJson).
        var error = Malformed(Replace(FormatV1.Downgrade(saved.Json), "\"analysisSkipped\":false", "\"analysisSkipped\":true"));
        Assert.Contains("$.analysisSkipped is true", error.Message, StringComparison.Ordinal);
        Assert.Contains("no SkipAnalysis command since the last retry", error.Message, StringComparison.Ordinal);
        var withSkip = FormatV1.Downgrade((await Saved("skipped")).Json);
        Assert.Contains("$.analysisSkipped is false", Malformed(Replace(withSkip, "\"analysisSkipped\":true", "\"analysisSkipped\":false")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SkipAnalysis_Abort_Retry_RunsTheWholeAnalysisAgain()
    {
        var policy = Policy(canary: "F");
        var rollout = new CanaryRollout(policy, Start);
        await rollout.TickAsync(Start);
        rollout.Apply(ManualAction.SkipAnalysis, "bob", "hotfix", Start + Minute);
        rollout.Apply(ManualAction.Abort, "bob", "wrong build", Start + Minute);

        var retried = rollout.Apply(ManualAction.Retry, "bob", "right build", Start + (2 * Minute));
        Assert.DoesNotContain("skipped", retried.Reason, StringComparison.Ordinal);
        Assert.False(rollout.State.AnalysisSkipped);
        Assert.Equal([ManualAction.SkipAnalysis, ManualAction.Abort, ManualAction.Retry], rollout.State.Overrides.Select(o => o.Action));

        // The failing canary is analysed (and rolled back), in memory and after a restart alike.
        var resumed = CanaryRollout.Resume(Policy(canary: "F"), RolloutState.FromJson(rollout.State.ToJson()));
        foreach (var r in new[] { rollout, resumed })
        {
            RolloutDecision? last = null;
            for (var t = Start + (2 * Minute); t < Start + TimeSpan.FromHours(1) && last?.Action is not (RolloutAction.Rollback or RolloutAction.Promote); t += Minute)
            {
                last = await r.TickAsync(t);
                Assert.DoesNotContain("skipped", last.Reason, StringComparison.Ordinal);
            }

            Assert.Equal(RolloutAction.Rollback, last!.Action);
            Assert.StartsWith("Analysis 'canary' at 5 % failed", last.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SkipWhilePausedInconclusive_ResumesAfterARestart_AndTheHumanMovesItOn()
    {
        var saved = await Saved("paused-inconclusive");
        var rollout = CanaryRollout.Resume(saved.Policy(), saved.State);
        rollout.Apply(ManualAction.SkipAnalysis, "bob", "hotfix", saved.SavedAt);

        var restarted = CanaryRollout.Resume(saved.Policy(), RolloutState.FromJson(rollout.State.ToJson()));

        Assert.Equal(RolloutAction.Pause, (await restarted.TickAsync(saved.SavedAt + Minute)).Action);
        var resumed = restarted.Apply(ManualAction.Resume, "bob", "go", saved.SavedAt + Minute);
        Assert.Equal((RolloutAction.Advance, 2), (resumed.Action, restarted.State.StepIndex));
        Assert.EndsWith("[analysis skipped by bob]", resumed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SkipNote_FollowsTheState_NotTheWordsOfAReason()
    {
        var rollout = new CanaryRollout(Policy(), Start);
        await rollout.TickAsync(Start);
        rollout.Apply(ManualAction.SkipAnalysis, "bob", "hotfix", Start);
        await rollout.TickAsync(Start + Minute);
        await rollout.TickAsync(Start + (2 * Minute));
        await rollout.TickAsync(Start + (3 * Minute));
        Assert.Equal(RolloutStatus.Paused, rollout.State.Status);

        // A human's reason that happens to say "skipped" used to hide the note.
        var resumed = rollout.Apply(ManualAction.Resume, "alice", "skipped the checklist, looks fine", Start + (4 * Minute));

        Assert.EndsWith("[analysis skipped by bob]", resumed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_MissingOrUnknown_IsMalformed_AndResumeRefusesAnotherVersion()
    {
        var json = (await Saved("mid-analysis")).Json;

        var missing = Malformed(Replace(json, "\"version\":2,", string.Empty));
        var future = Malformed(Replace(json, "\"version\":2,", "\"version\":3,"));
        var text = Malformed(Replace(json, "\"version\":2,", "\"version\":\"2\","));

        Assert.Contains("$.version is missing", missing.Message, StringComparison.Ordinal);
        Assert.Contains("$.version is 3; this library reads rollout state format versions 1 and 2 only", future.Message, StringComparison.Ordinal);
        Assert.Contains("$.version is \"2\"", text.Message, StringComparison.Ordinal);
        Assert.Contains("$.version = 3", Refused(RolloutState.FromJson(json) with { Version = 3 }).Message, StringComparison.Ordinal);
        Assert.Contains("$.version = 1", Refused(RolloutState.FromJson(json) with { Version = 1 }).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"status\":2", "$.status")]
    [InlineData("\"status\":\"2\"", "$.status")]
    [InlineData("\"status\":\"promoted\"", "$.status")]
    [InlineData("\"status\":\"Aborted, Promoted\"", "$.status")]
    [InlineData("\"status\":\" Progressing\"", "$.status")]
    [InlineData("\"status\":null", "$.status")]
    public async Task EnumValues_OtherThanTheExactName_AreMalformed(string status, string path)
    {
        var json = Replace((await Saved("mid-analysis")).Json, "\"status\":\"Progressing\"", status);

        var error = Malformed(json);

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"phase\":\"Running\"", "\"phase\":1", "$.stepAnalysis.phase")]
    [InlineData("\"lastPhase\":\"Successful\"", "\"lastPhase\":0", "$.stepAnalysis.metrics[0].lastPhase")]
    [InlineData("\"weight\":5", "\"weight\":5.0", "$.weight")]
    [InlineData("\"weight\":5", "\"weight\":\"5\"", "$.weight")]
    [InlineData("\"weight\":5", "\"weight\":5e0", "$.weight")]
    [InlineData("\"analysisSkipped\":false", "\"analysisSkipped\":0", "$.analysisSkipped")]
    [InlineData("\"policy\":\"corruption\"", "\"policy\":null", "$.policy")]
    [InlineData("\"overrides\":[]", "\"overrides\":null", "$.overrides")]
    [InlineData("\"message\":\"Weight set", "\"message\":null,\"x\":\"", "$.message")]
    [InlineData("\"metrics\":[", "\"metrics\":null,\"m\":[", "$.stepAnalysis.metrics")]
    [InlineData("\"overrides\":[]", "\"overrides\":[],\"approvedBy\":\"mallory\"", "$.approvedBy")]
    [InlineData("\"lastValue\":0.99", "\"lastValue\":\"0.99\"", "$.stepAnalysis.metrics[0].lastValue")]
    [InlineData("\"stepStartedAt\":\"2026-01-01T00:00:00+00:00\"", "\"stepStartedAt\":\"yesterday\"", "$.stepStartedAt")]
    public async Task WrongShapes_AreMalformed_NamingThePath(string from, string to, string path)
    {
        // Fields of format version 1 only (last*, analysisSkipped) are checked in a version-1 document, as strictly.
        var saved = (await Saved("mid-analysis")).Json;
        var json = Replace(from.Contains("last", StringComparison.Ordinal) || from.Contains("analysisSkipped", StringComparison.Ordinal) ? FormatV1.Downgrade(saved) : saved, from, to);

        var error = Malformed(json);

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingField_IsMalformed()
    {
        var json = Replace(FormatV1.Downgrade((await Saved("mid-analysis")).Json), "\"analysisSkipped\":false,", string.Empty);

        Assert.Contains("$.analysisSkipped is missing", Malformed(json).Message, StringComparison.Ordinal);
        Assert.Contains("$.stepAnalysis.metrics[0].story is not a field of format version 2", Malformed(Replace((await Saved("mid-analysis")).Json, "\"history\":", "\"story\":")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"version\":1}")]
    [InlineData("{\"version\":1,\"status\":")]
    [InlineData("{\"version\":1,\"policy\":\"\\uD800\"}")]
    public void Garbage_IsMalformed(string json) => Malformed(json);

    [Fact]
    public async Task SnapshotNamingAMetricTheStepDoesNotHave_IsRefused()
    {
        var json = Replace((await Saved("mid-analysis")).Json, "\"name\":\"latency\"", "\"name\":\"p99\"");

        var error = Refused(RolloutState.FromJson(json));

        Assert.Contains("$.stepAnalysis.metrics[1].name = \"p99\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SnapshotOnAStepWithoutAnalysis_IsRefused()
    {
        var midPause = (await Saved("mid-pause")).State;
        var analysis = (await Saved("mid-analysis")).State.StepAnalysis;

        Assert.Contains("$.stepAnalysis", Refused(midPause with { StepAnalysis = analysis }).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"failed\":0", "\"failed\":-1", "$.stepAnalysis.metrics[0].failed = -1")]
    [InlineData("\"errors\":0", "\"errors\":-2", "$.stepAnalysis.metrics[0].errors = -2")]
    [InlineData("\"successful\":2", "\"successful\":3", "$.stepAnalysis.metrics[0].consecutiveSuccesses = 2")]
    [InlineData("\"successful\":2,\"failed\":0,\"inconclusive\":0,\"errors\":0,\"consecutiveErrors\":0,\"consecutiveSuccesses\":2", "\"successful\":3,\"failed\":0,\"inconclusive\":0,\"errors\":0,\"consecutiveErrors\":0,\"consecutiveSuccesses\":3", "$.stepAnalysis.metrics[0].phase = Running")]
    [InlineData("\"successful\":2", "\"successful\":9", "$.stepAnalysis.metrics[0].successful = 9")]
    [InlineData("\"consecutiveSuccesses\":2", "\"consecutiveSuccesses\":0", "$.stepAnalysis.metrics[0].consecutiveSuccesses = 0")]
    [InlineData("\"phase\":\"Running\",\"message\":\"2 measurement", "\"phase\":\"Successful\",\"message\":\"2 measurement", "$.stepAnalysis.metrics[0].phase = Successful")]
    public async Task InconsistentCounters_AreRefused(string from, string to, string expected)
    {
        var json = Replace((await Saved("mid-analysis")).Json, from, to);

        var error = Refused(RolloutState.FromJson(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountersInflated_AreRefused()
    {
        var rollout = new CanaryRollout(Policy(), Start);
        await rollout.TickAsync(Start);
        await rollout.TickAsync(Start + Minute);
        var json = rollout.State.ToJson();
        const string OneSuccess = "\"successful\":1,\"failed\":0,\"inconclusive\":0,\"errors\":0,\"consecutiveErrors\":0,\"consecutiveSuccesses\":1,";
        Assert.Contains(OneSuccess, json, StringComparison.Ordinal);
        var first = json.IndexOf(OneSuccess, StringComparison.Ordinal);

        // Only successes so far: every one of them is in the current run of successes.
        var inflated = string.Concat(json.AsSpan(0, first), OneSuccess.Replace("\"successful\":1", "\"successful\":2", StringComparison.Ordinal), json.AsSpan(first + OneSuccess.Length));
        Assert.Contains("$.stepAnalysis.metrics[0].consecutiveSuccesses = 1", Refused(RolloutState.FromJson(inflated)).Message, StringComparison.Ordinal);

        // Two successes a minute apart cannot both have finished by the first minute... nor by the run's start.
        var mid = (await Saved("mid-analysis")).State;
        var m0 = mid.StepAnalysis!.Metrics[0];
        Measurement At(int seconds) => new(MeasurementPhase.Successful, Start.AddSeconds(seconds), Start.AddSeconds(seconds), 0.99, "scripted Pass");
        var early = mid with { StepAnalysis = mid.StepAnalysis with { Metrics = [m0 with { History = [At(20), At(30)] }, .. mid.StepAnalysis.Metrics.Skip(1)] } };
        Assert.Contains("$.stepAnalysis.metrics[0].history[1].finishedAt = 2026-01-01T00:00:30.0000000+00:00: too early for 2 conclusive measurement(s)", Refused(early).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PhasesThatContradictTheStatus_AreRefused()
    {
        var mid = (await Saved("mid-analysis")).State;
        var pausedInconclusive = (await Saved("paused-inconclusive")).State;

        var finished = mid with { StepAnalysis = pausedInconclusive.StepAnalysis };
        var pausedAtAnalysis = mid with { Status = RolloutStatus.Paused };
        var promotedMidway = mid with { Status = RolloutStatus.Promoted };
        var abortedAtWeight = mid with { Status = RolloutStatus.Aborted };

        Assert.Contains("$.stepAnalysis.phase = Inconclusive", Refused(finished).Message, StringComparison.Ordinal);
        Assert.Contains("$.status = Paused", Refused(pausedAtAnalysis).Message, StringComparison.Ordinal);
        Assert.Contains("$.stepIndex = 1: a promoted rollout is past its last step", Refused(promotedMidway).Message, StringComparison.Ordinal);
        Assert.Contains("$.weight = 5: the rollout is Aborted at step 1, so its weight is 0 %", Refused(abortedAtWeight).Message, StringComparison.Ordinal);
        Assert.Contains("$.weight = 50", Refused(mid with { Weight = 50 }).Message, StringComparison.Ordinal);
        Assert.Contains("$.status = Paused: step 1 (analysis 'canary' (success-rate, latency)) does not wait for a human", Refused(pausedInconclusive with { StepAnalysis = null }).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverridesThatDoNotMatchTheState_AreRefused()
    {
        var skipped = (await Saved("skipped")).State;
        var promotedByHuman = (await Saved("promoted-by-human")).State;
        var promote = promotedByHuman.Overrides[^1];

        var promoteButProgressing = skipped with { Overrides = [.. skipped.Overrides, promote] };
        var commandAfterPromotion = promotedByHuman with { Overrides = [.. promotedByHuman.Overrides, skipped.Overrides[0]] };
        var anonymous = skipped with { Overrides = [new ManualOverride { Action = ManualAction.SkipAnalysis, By = " ", Reason = "x", At = Start, AtStep = 1 }] };
        var futureStep = skipped with { Overrides = [new ManualOverride { Action = ManualAction.SkipAnalysis, By = "bob", Reason = "x", At = Start + Minute, AtStep = 5 }] };
        var undefined = skipped with { Overrides = [new ManualOverride { Action = (ManualAction)42, By = "bob", Reason = "x", At = Start + Minute, AtStep = 1 }] };

        Assert.Contains("$.status = Progressing: $.overrides[1] is Promote", Refused(promoteButProgressing).Message, StringComparison.Ordinal);
        Assert.Contains("$.overrides[0].action = Promote: a promoted rollout takes no further command", Refused(commandAfterPromotion).Message, StringComparison.Ordinal);
        Assert.Contains("$.overrides[0].by = \" \"", Refused(anonymous).Message, StringComparison.Ordinal);
        Assert.Contains("$.overrides[0].atStep = 5", Refused(futureStep).Message, StringComparison.Ordinal);
        Assert.Contains("$.overrides[0].action = 42", Refused(undefined).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimestampsOutOfOrder_AreRefused()
    {
        var mid = (await Saved("mid-analysis")).State;
        var skipped = (await Saved("skipped")).State;

        var stepBeforeStart = mid with { StartedAt = mid.StepStartedAt + Minute };
        var analysisElsewhere = mid with { StepAnalysis = mid.StepAnalysis! with { StartedAt = mid.StepStartedAt - Minute } };
        var commandBeforeStart = skipped with { StartedAt = skipped.Overrides[0].At + Minute, StepStartedAt = skipped.Overrides[0].At + Minute };
        var endOfTime = mid with { StepStartedAt = DateTimeOffset.MaxValue, StepAnalysis = null };

        Assert.Contains("$.stepStartedAt = 2026-01-01T00:00:00.0000000+00:00: before the rollout started", Refused(stepBeforeStart).Message, StringComparison.Ordinal);
        Assert.Contains("$.stepAnalysis.startedAt = 2025-12-31T23:59:00.0000000+00:00", Refused(analysisElsewhere).Message, StringComparison.Ordinal);
        Assert.Contains("$.overrides[0].at", Refused(commandBeforeStart).Message, StringComparison.Ordinal);
        Assert.Contains("$.stepStartedAt = 9999-12-31T23:59:59.9999999+00:00: too close to the end of time", Refused(endOfTime).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackgroundSnapshot_MustBeThePoliciesBackgroundAnalysis()
    {
        var midPause = (await Saved("mid-pause")).State;
        var mid = (await Saved("mid-analysis")).State;

        Assert.Contains("$.backgroundAnalysis", Refused(mid with { BackgroundAnalysis = midPause.BackgroundAnalysis }).Message, StringComparison.Ordinal);
        Assert.Contains("$.backgroundAnalysis.background = false", Refused(midPause with { BackgroundAnalysis = mid.StepAnalysis }).Message, StringComparison.Ordinal);
        var noBackground = new CanaryPolicy("corruption", Policy().Steps);
        Assert.Contains("the policy has no background analysis", Refused(midPause, noBackground).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResumeOfAStartedState_Works_AndAStatusOutsideTheEnum_IsRefused()
    {
        var state = RolloutState.Start(Policy(), Start);

        Assert.Equal(0, CanaryRollout.Resume(Policy(), state).State.StepIndex);
        Assert.Contains("$.status = 9", Refused(state with { Status = (RolloutStatus)9 }).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => RolloutState.FromJson(null!));
    }
}
