using System.Globalization;
using System.Text.Json;
using Canary.Analysis.Analysis;
using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Evaluation;

/// <summary>
/// <see cref="SequentialErrorRateState"/> is the evaluator's whole memory: an immutable value with value equality that survives
/// System.Text.Json (source-generated), so a test interrupted by a restart goes on exactly as if it had not been.
/// </summary>
public sealed class SequentialErrorRateStateTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly LabelSelector CanarySelector = LabelSelector.Parse("version=\"canary\"");
    private static readonly LabelSelector BaselineSelector = LabelSelector.Parse("version=\"baseline\"");

    private static SequentialErrorRateCriteria Criteria() => new()
    {
        Weights = new EndpointWeights { ["/pay"] = 0.5, ["/rare"] = 0.2, DefaultWeight = 0.1 },
        CanaryOnlyMaximumErrorRate = 0.05,
    };

    /// <summary>
    /// A seeded sequence of windows: healthy endpoints, a canary-only route, a rare endpoint, an endpoint appearing later
    /// (unjudged), a window with gaps, a window with counts that are not valid, an idle baseline for a while, and from
    /// window <paramref name="regressionFrom"/> a regression on /pay.
    /// </summary>
    private static List<(TrafficSnapshot Canary, TrafficSnapshot Baseline)> Windows(int seed, int count, int regressionFrom, double regressionScale = 1)
    {
        var random = new Random(seed);
        var windows = new List<(TrafficSnapshot, TrafficSnapshot)>();
        for (var i = 0; i < count; i++)
        {
            var end = Start + (Minute * (i + 1));
            EndpointTraffic Traffic(string name, double requests, double errorRate)
            {
                var errors = Enumerable.Range(0, (int)requests).Count(_ => random.NextDouble() < errorRate);
                return new EndpointTraffic(name, requests * regressionScale, (requests - errors) * regressionScale);
            }

            var payRate = i >= regressionFrom ? 0.05 : 0.005;
            List<EndpointTraffic> canary = [Traffic("/pay", 40, payRate), Traffic("/rare", random.Next(0, 3), 0.005), Traffic("/new", 10, 0.01)];
            List<EndpointTraffic> baseline = [Traffic("/pay", 760, 0.005), Traffic("/rare", random.Next(2, 8), 0.005)];
            if (i >= 5)
            {
                canary.Add(Traffic("/late", 5, 0));
            }

            if (i is >= 20 and < 23)
            {
                baseline.Clear();
            }

            if (i == 11)
            {
                canary[0] = new EndpointTraffic("/pay", new Dictionary<StatusClass, double> { [StatusClass.Success] = double.NaN });
            }

            var gaps = i == 7 ? [new DataGap(DataGapKind.TargetUnreachable, "web-2: connection refused")] : Array.Empty<DataGap>();
            windows.Add((new TrafficSnapshot(end, Minute, canary) { Gaps = gaps }, new TrafficSnapshot(end, Minute, baseline)));
        }

        return windows;
    }

    private static string Show(CheckResult result) => string.Join(" | ",
        [$"{result.Verdict} {result.Value.ToString("R", CultureInfo.InvariantCulture)} {result.Reason}",
         .. result.Endpoints.Select(e => string.Create(CultureInfo.InvariantCulture,
             $"{e.Endpoint} {e.Status} {e.Requests} {e.Successes} {e.Value:R} {e.Weight:R} {e.Contribution:R} {e.Limit:R} {e.BaselineValue:R}"))]);

    private static SequentialErrorRateState RoundTrip(SequentialErrorRateState state) =>
        JsonSerializer.Deserialize(JsonSerializer.Serialize(state, EvidenceJsonContext.Default.SequentialErrorRateState), EvidenceJsonContext.Default.SequentialErrorRateState)!;

    private static CheckResult Add(SequentialErrorRateEvaluator evaluator, (TrafficSnapshot Canary, TrafficSnapshot Baseline) window)
    {
        var start = evaluator.State.WindowStart ?? window.Canary.End - window.Canary.Window;
        return evaluator.Add(window.Canary, window.Baseline, start, window.Canary.End);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 7)]
    [InlineData(4, 1000)]
    public void SaveAndRestore_BetweenAnyWindows_ContinuesExactlyAsAnUninterruptedRun(int seed, int restartEvery)
    {
        var windows = Windows(seed, 60, regressionFrom: 30);
        var uninterrupted = new SequentialErrorRateEvaluator(Criteria()) { BaselineSelector = BaselineSelector };
        var restarted = new SequentialErrorRateEvaluator(Criteria()) { BaselineSelector = BaselineSelector };
        var verdicts = new HashSet<Verdict>();
        for (var i = 0; i < windows.Count; i++)
        {
            if (i % restartEvery == 0)
            {
                // A new process: a new evaluator from the saved JSON alone.
                var saved = RoundTrip(restarted.State);
                Assert.Equal(restarted.State, saved);
                restarted = new SequentialErrorRateEvaluator(Criteria(), saved) { BaselineSelector = BaselineSelector };
            }

            var expected = Add(uninterrupted, windows[i]);
            var actual = Add(restarted, windows[i]);
            Assert.Equal(Show(expected), Show(actual));
            Assert.True(uninterrupted.State == restarted.State, $"window {i}");
            verdicts.Add(expected.Verdict);
        }

        // The sequence exercised what the state holds: a canary-only route, unjudged endpoints, looks that added nothing.
        Assert.Contains(uninterrupted.State.Endpoints, e => e.CanaryOnly is not null);
        Assert.Equal(["/late"], uninterrupted.State.UnjudgedEndpoints);
        Assert.Contains(Verdict.Inconclusive, verdicts);
        Assert.Contains(Verdict.Fail, verdicts);
    }

    [Fact]
    public void SaveAndRestore_OverwhelmingEvidence_InfiniteEValuesSurviveTheJson()
    {
        var windows = Windows(5, 10, regressionFrom: 0, regressionScale: 1e7);
        var criteria = Criteria();
        criteria.EstimateErrorDispersion = false; // exact ratios: the evidence overflows to ∞
        var evaluator = new SequentialErrorRateEvaluator(criteria);
        foreach (var window in windows)
        {
            Add(evaluator, window);
        }

        var json = JsonSerializer.Serialize(evaluator.State, EvidenceJsonContext.Default.SequentialErrorRateState);
        Assert.Contains("Infinity", json, StringComparison.Ordinal);
        Assert.Equal(evaluator.State, RoundTrip(evaluator.State));

        // A context with default options (no named floating-point literals) reads and writes it too: the types say so.
        var plain = JsonSerializer.Serialize(evaluator.State, DefaultOptionsJsonContext.Default.SequentialErrorRateState);
        Assert.Contains("Infinity", plain, StringComparison.Ordinal);
        Assert.Equal(evaluator.State, JsonSerializer.Deserialize(plain, DefaultOptionsJsonContext.Default.SequentialErrorRateState));
        Assert.Equal(Verdict.Fail, evaluator.Result().Verdict);
    }

    [Fact]
    public void State_HasValueEquality_AndEveryWindowMakesANewValue()
    {
        var windows = Windows(6, 3, regressionFrom: 99);
        var a = new SequentialErrorRateEvaluator(Criteria());
        var b = new SequentialErrorRateEvaluator(Criteria());
        Assert.Equal(a.State, b.State);

        Add(a, windows[0]);
        var afterOne = a.State;
        Assert.NotEqual(a.State, b.State);
        Add(b, windows[0]);
        Assert.True(a.State == b.State);
        Assert.Equal(a.State.GetHashCode(), b.State.GetHashCode());

        Add(a, windows[1]);
        Assert.NotEqual(afterOne, a.State);
        Assert.Equal(b.State, afterOne); // the earlier value did not change
        Assert.NotEqual(b.State, b.State with { MaxCombinedEValue = 2 });
        Assert.NotEqual(b.State, b.State with { Endpoints = [.. b.State.Endpoints.Select(e => e with { CanaryErrors = e.CanaryErrors + 1 })] });
    }

    [Fact]
    public async Task Check_Evidence_SetOnANewInstance_ResumesTheSameTest_ReadingFromWhereTheLastWindowEnded()
    {
        var windows = Windows(7, 40, regressionFrom: 25);
        var first = new ScriptedSource(windows);
        var second = new ScriptedSource(windows);
        var uninterrupted = new SequentialErrorRateCheck(first, CanarySelector, BaselineSelector, Minute, Criteria());
        var before = new SequentialErrorRateCheck(second, CanarySelector, BaselineSelector, Minute, Criteria());
        for (var i = 0; i < 15; i++)
        {
            await uninterrupted.MeasureAsync(Start + (Minute * (i + 1)));
            await before.MeasureAsync(Start + (Minute * (i + 1)));
        }

        var after = new SequentialErrorRateCheck(second, CanarySelector, BaselineSelector, Minute, Criteria()) { Evidence = RoundTrip(before.Evidence) };
        for (var i = 15; i < windows.Count; i++)
        {
            var expected = await uninterrupted.MeasureAsync(Start + (Minute * (i + 1)));
            var actual = await after.MeasureAsync(Start + (Minute * (i + 1)));
            Assert.Equal(Show(expected), Show(actual));
        }

        Assert.Equal(uninterrupted.Evidence, after.Evidence);
        Assert.Equal(first.Queries.Select(q => (q.End, q.Window)), second.Queries.Select(q => (q.End, q.Window)));
        Assert.Throws<ArgumentNullException>(() => after.Evidence = null!);
    }

    [Fact]
    public void Restore_StatesThatCouldNotHaveBeenReached_AreRefusedNamingWhy()
    {
        var evaluator = new SequentialErrorRateEvaluator(Criteria());
        foreach (var window in Windows(8, 10, regressionFrom: 99))
        {
            Add(evaluator, window);
        }

        var good = evaluator.State;
        var first = good.Endpoints[0];
        SequentialErrorRateState[] bad =
        [
            good with { ServiceWide = null! },
            good with { Endpoints = [first, first] },
            good with { Endpoints = [first with { CanaryErrors = first.CanaryRequests + 1 }] },
            good with { Endpoints = [first with { Weight = 1.5 }] },
            good with { UnjudgedEndpoints = [first.Endpoint] },
            good with { MaxCombinedEValue = 0.5 },
            good with { LastLook = good.WindowStart + Minute },
            good with { Endpoints = [first with { Dispersion = null! }] },
            good with { Endpoints = [first with { Dispersion = first.Dispersion with { Errors = first.CanaryErrors + first.BaselineErrors + 1 } }] },
            good with { Endpoints = [first with { Dispersion = first.Dispersion with { ErrorSquares = first.Dispersion.Errors - 1 } }] },
            good with { Endpoints = [first with { Dispersion = first.Dispersion with { RequestSquares = double.NaN } }] },
            good with { Endpoints = [first with { Dispersion = new SequentialErrorDispersion { ErrorSquares = 1 } }] },
        ];

        foreach (var state in bad)
        {
            var ex = Assert.Throws<ArgumentException>(() => evaluator.State = state);
            Assert.StartsWith("SequentialErrorRateState is not valid: ", ex.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => new SequentialErrorRateEvaluator(Criteria(), state));
        }

        Assert.Equal(good, evaluator.State);
        evaluator.State = RoundTrip(good);
    }

    /// <summary>Answers the query ending at window k's end with window k (a window with gaps is answered again whole later).</summary>
    private sealed class ScriptedSource(List<(TrafficSnapshot Canary, TrafficSnapshot Baseline)> windows) : ITrafficSource
    {
        public List<TrafficQuery> Queries { get; } = [];

        public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
        {
            Queries.Add(query);
            var (canary, baseline) = windows.Single(w => w.Canary.End == query.End);
            var answer = query.Selector.Equals(CanarySelector) ? canary : baseline;
            return Task.FromResult(new TrafficSnapshot(query.End, query.Window, answer.Endpoints.Values) { Gaps = answer.Gaps });
        }
    }
}
