using System.Collections;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Statistics;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;
using static Canary.Analysis.Tests.Policies.SavedRolloutStates;
using static Canary.Analysis.Tests.TestSupport.SavedStateReflection;

namespace Canary.Analysis.Tests.Policies;

/// <summary>
/// Saved state is a value: a state read back from its JSON is <c>==</c> to the one saved (with an equal hash code), a state
/// that differs in any one saved field — of any saved-state type, found by reflection — is not, and a record holding a list
/// shares nothing mutable with its caller or with its <c>with</c> copies.
/// </summary>
public sealed class StateEqualityTests
{
    private static readonly LabelSelector CanarySelector = LabelSelector.Parse("version=\"canary\"");
    private static readonly LabelSelector BaselineSelector = LabelSelector.Parse("version=\"baseline\"");

    /// <summary>The roots of saved state: the rollout's, and the evidence the built-in sequential check saves inside it (as JSON).</summary>
    private static readonly Type[] Roots = [typeof(RolloutState), typeof(SequentialErrorRateState)];

    /// <summary>Criteria with a canary-only limit, so that a canary-only route has its own evidence.</summary>
    private static SequentialErrorRateCriteria Criteria() => new() { CanaryOnlyMaximumErrorRate = 0.05 };

    /// <summary>
    /// Traffic proportional to the window: /pay on both versions (1 % canary errors, 0.5 % baseline), /new on the canary only
    /// (judged against the canary-only limit), and /late on the canary from minute 3 (after the judged endpoints were chosen:
    /// reported, not judged).
    /// </summary>
    private static TrafficSnapshot Traffic(TrafficQuery query, DateTimeOffset start)
    {
        var minutes = query.Window.TotalMinutes;
        List<EndpointTraffic> endpoints = query.Selector.Equals(CanarySelector)
            ? [new("/pay", 100 * minutes, 99 * minutes), new("/new", 10 * minutes, 10 * minutes)]
            : [new("/pay", 1900 * minutes, 1890.5 * minutes)];
        if (query.Selector.Equals(CanarySelector) && query.End >= start + TimeSpan.FromMinutes(3))
        {
            endpoints.Add(new("/late", 5 * minutes, 5 * minutes));
        }

        return new TrafficSnapshot(query.End, query.Window, endpoints);
    }

    /// <summary>A rollout whose analysis runs the sequential check and a counting check (both keep evidence), saved after every tick.</summary>
    private static async Task<IReadOnlyList<RolloutState>> SequentialRolloutStatesAsync()
    {
        var source = new TrafficFunction(q => Traffic(q, Start));
        var policy = new CanaryPolicy("sequential",
        [
            CanaryStep.SetWeight(5),
            CanaryStep.Analysis(
                "look",
                new AnalysisMetric { Name = "error-rate", Check = new SequentialErrorRateCheck(source, CanarySelector, BaselineSelector, Minute, Criteria()), Interval = Minute, Count = 8 },
                new AnalysisMetric { Name = "counting", Check = new CountingCheck(), Interval = Minute, Count = 8 }),
        ]);
        var rollout = new CanaryRollout(policy, Start);
        var states = new List<RolloutState>();
        for (var t = Start; t <= Start + (6 * Minute); t += Minute)
        {
            await rollout.TickUntilSettledAsync(t);
            states.Add(rollout.State);
        }

        rollout.Apply(ManualAction.Promote, "dana", "evidence is enough", Start + (6 * Minute));
        states.Add(rollout.State);
        return states;
    }

    /// <summary>Every kind of saved state this suite knows: the captured rollouts, the sequential rollout, and the sequential evidence.</summary>
    private static async Task<IReadOnlyList<object>> SampleValuesAsync()
    {
        var evaluator = new SequentialErrorRateEvaluator(Criteria()) { BaselineSelector = BaselineSelector };
        var withHistory = Criteria();
        withHistory.BaselineHistory = new BaselineHistoryOptions();
        var historyEvaluator = new SequentialErrorRateEvaluator(withHistory) { BaselineSelector = BaselineSelector };
        TrafficSnapshot[] history = [.. Enumerable.Range(0, 24).Select(h => Traffic(new TrafficQuery(BaselineSelector, Start - TimeSpan.FromHours(23 - h), TimeSpan.FromHours(1)), Start))];
        for (var end = Start + Minute; end <= Start + (5 * Minute); end += Minute)
        {
            var query = new TrafficQuery(CanarySelector, end, Minute);
            evaluator.Add(Traffic(query, Start), Traffic(new TrafficQuery(BaselineSelector, end, Minute), Start), end - Minute, end);
            historyEvaluator.Add(Traffic(query, Start), Traffic(new TrafficQuery(BaselineSelector, end, Minute), Start), end - Minute, end, history);
        }

        Assert.Contains(historyEvaluator.State.Endpoints, e => e.History is not null);
        return [.. (await SequentialRolloutStatesAsync()).Reverse(), .. (await CaptureAsync()).Select(s => s.Live), evaluator.State, historyEvaluator.State];
    }

    [Fact]
    public async Task ASavedState_ReadBack_IsEqual_WithAnEqualHashCode()
    {
        var states = (await CaptureAsync()).Select(s => s.Live).Concat(await SequentialRolloutStatesAsync()).ToList();

        foreach (var state in states)
        {
            var readBack = RolloutState.FromJson(state.ToJson());
            Assert.True(readBack == state, $"read back differs from\n{state.ToJson()}");
            Assert.True(readBack.Equals(state) && state.Equals(readBack));
            Assert.False(readBack != state);
            Assert.Equal(state.GetHashCode(), readBack.GetHashCode());
        }

        // What the states hold: runs, history, a range, human commands, each check's evidence (sequential and counting).
        var metrics = states.SelectMany(s => new[] { s.StepAnalysis, s.BackgroundAnalysis }).OfType<AnalysisRunState>().SelectMany(r => r.Metrics).ToList();
        Assert.Contains(states, s => s.Overrides.Count >= 2);
        Assert.Contains(states, s => s.BackgroundAnalysis is not null);
        Assert.Contains(metrics, m => m.History.Count >= 2 && m.MinimumValue < m.MaximumValue);
        Assert.Contains(metrics, m => m.History.Any(h => h.Evidence is not null));
        Assert.Contains(metrics, m => m.CheckEvidence?.Json.TryGetProperty("endpoints", out var endpoints) == true
            && endpoints.EnumerateArray().Any(e => e.GetProperty("canaryOnly").ValueKind == System.Text.Json.JsonValueKind.Object));
        Assert.Contains(metrics, m => m.CheckEvidence?.Json.TryGetProperty("looks", out _) == true);
    }

    [Fact]
    public async Task EverySavedField_OfEverySavedStateType_TakesPartInEquality()
    {
        var samples = Samples(await SampleValuesAsync());
        var types = Reachable(Roots);
        Assert.Superset(
            new HashSet<Type>
            {
                typeof(RolloutState), typeof(ManualOverride), typeof(AnalysisRunState), typeof(MetricRunStatus), typeof(Measurement),
                typeof(CheckEvidence), typeof(SequentialErrorRateState), typeof(SequentialEndpointEvidence),
                typeof(SequentialRateRatioEvidence), typeof(SequentialRateLimitEvidence),
            },
            types.ToHashSet());

        var checkedFields = 0;
        foreach (var type in types.Where(t => !WritesItself(t)))
        {
            Assert.True(IsRecord(type), $"{type.Name} is saved state, so it is a record (value equality made by the compiler)");
            Assert.True(samples.TryGetValue(type, out var sample), $"No {type.Name} in the sample states: add a value holding one.");
            foreach (var property in SavedProperties(type))
            {
                var field = $"{type.Name}.{property.Name}";
                var current = property.GetValue(sample);

                // A new object with the same values (lists in new List<T>s) is equal: equality is by value, not by reference.
                var same = Rebuild(sample, property, FreshCopy(property.PropertyType, current));
                Assert.True(OperatorEquals(sample, same) && sample.Equals(same), $"{field}: a copy with the same value is not equal");
                Assert.Equal(sample.GetHashCode(), same.GetHashCode());

                var variants = Different(property, current, samples).Select(v => TryRebuild(sample, property, v)).OfType<object>().ToList();
                Assert.True(variants.Count > 0, $"{field}: no value other than the sample's could be made");
                foreach (var variant in variants)
                {
                    Assert.False(OperatorEquals(sample, variant), $"{field}: a state differing only here is ==");
                    Assert.False(sample.Equals(variant) || variant.Equals(sample), $"{field}: a state differing only here is Equal");
                }

                checkedFields++;
            }
        }

        Assert.True(checkedFields >= 45, $"{checkedFields} saved fields checked");
    }

    [Fact]
    public async Task EveryListHoldingRecord_SharesNothingMutable_WithItsCallerOrItsWithCopies()
    {
        var samples = Samples(await SampleValuesAsync());
        var lists = 0;
        foreach (var type in Reachable(Roots).Where(t => !WritesItself(t)))
        {
            foreach (var property in SavedProperties(type).Where(p => ItemType(p.PropertyType) is not null))
            {
                var field = $"{type.Name}.{property.Name}";
                var item = ItemType(property.PropertyType)!;
                var items = ((IEnumerable)property.GetValue(samples[type])!).Cast<object?>().ToList();
                var passed = ListOf(item, items);
                var record = Rebuild(samples[type], property, passed);
                var snapshot = Rebuild(samples[type], property, ListOf(item, items));

                // The caller changes the list it passed in: the record does not change.
                passed.Add(items.Count > 0 ? items[0] : Sample(item, samples));
                Assert.True(OperatorEquals(record, snapshot), $"{field}: changing the list passed in changed the record");
                Assert.Equal(items.Count, ((ICollection)ListOf(item, ((IEnumerable)property.GetValue(record)!).Cast<object?>())).Count);

                // What the record hands out cannot be changed through a list interface.
                var held = property.GetValue(record);
                Assert.False(held is IList || (held?.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IList<>)) ?? false), $"{field}: hands out a changeable list ({held?.GetType().Name})");

                // A with-copy given another list leaves the original as it was.
                var copy = Clone(record);
                Assert.True(OperatorEquals(record, copy), $"{field}: a with-copy is not equal");
                var changed = TryRebuild(copy, property, ListOf(item, [.. items, .. items.Take(1)]));
                Assert.True(OperatorEquals(record, snapshot), $"{field}: changing a with-copy changed the original");
                Assert.True(changed is null || !OperatorEquals(record, changed), $"{field}: a with-copy with another list is still equal");
                lists++;
            }
        }

        Assert.True(lists >= 6, $"{lists} list fields checked");
    }

    [Fact]
    public void MetricRunStatus_With_DoesNotAlias_ItsHistory()
    {
        var first = new Measurement(MeasurementPhase.Successful, Start, Start, 0.99, "ok");
        var history = new List<Measurement> { first };
        var status = new MetricRunStatus { Name = "m", History = history };
        var copy = status with { };

        history.Add(new Measurement(MeasurementPhase.Failed, Start + Minute, Start + Minute, 0.5, "bad"));
        var longer = copy with { History = [.. copy.History, first] };

        Assert.Equal([first], status.History);
        Assert.Equal(status, copy);
        Assert.NotEqual(status, longer);
        Assert.Equal(2, longer.History.Count);
    }

    [Fact]
    public void Measurement_TakenAndReadBack_AreEqual_ThoughOnlyTheTakenOneHasTheCheckResult()
    {
        var result = new CheckResult("scripted", Verdict.Pass, 0.99, 0.95, "scripted Pass", []);
        var taken = new Measurement(MeasurementPhase.Successful, Start, Start, 0.99, "scripted Pass", result);
        var readBack = new Measurement(MeasurementPhase.Successful, Start, Start, 0.99, "scripted Pass");

        Assert.Equal(taken, readBack);
        Assert.Equal(taken.GetHashCode(), readBack.GetHashCode());
        Assert.NotEqual(taken, new Measurement(MeasurementPhase.Successful, Start, Start, 0.99, "scripted Pass!", result));
    }

    /// <summary>A traffic source answering from a function.</summary>
    private sealed class TrafficFunction(Func<TrafficQuery, TrafficSnapshot> answer) : ITrafficSource
    {
        public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default) => Task.FromResult(answer(query));
    }
}
