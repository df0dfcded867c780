using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Benchmarks;

/// <summary>
/// One look of the sequential check on DESIGN's service (25 endpoints, a rare one with 20 % of the weight): the evaluator's
/// judgement alone (the baseline), the check's look (read two in-memory snapshots, judge), and the look plus saving its
/// evidence as JSON, which <see cref="AnalysisRun"/> does after every measurement so a restarted controller resumes the same
/// test. Also the restore of that evidence on a new check.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class SequentialCheckBenchmarks
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private TrafficSnapshot _canary = null!;
    private TrafficSnapshot _baseline = null!;
    private SequentialErrorRateCriteria _criteria = null!;
    private SequentialErrorRateEvaluator _evaluator = null!;
    private SequentialErrorRateCheck _check = null!;
    private JsonElement _evidence;
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        // Per minute at peak, 5 % canary: 24 busy endpoints share 100 req/s, /rare has 0.3 req/s; 0.5 % errors everywhere.
        static IEnumerable<EndpointTraffic> Endpoints(double share) => Enumerable.Range(0, 24)
            .Select(i => new EndpointTraffic($"/api/e{i:00}", Math.Round(6000 * share / 24), Math.Round(6000 * share / 24 * 0.995)))
            .Append(new EndpointTraffic("/rare", Math.Max(1, Math.Round(18 * share)), Math.Max(1, Math.Round(18 * share))));
        _canary = new TrafficSnapshot(Start, Minute, Endpoints(0.05));
        _baseline = new TrafficSnapshot(Start, Minute, Endpoints(0.95));
        var weights = new EndpointWeights { ["/rare"] = 0.2 * 24 / 0.8 };
        weights.DefaultWeight = 1;
        _criteria = new SequentialErrorRateCriteria { Weights = weights };
        _evaluator = new SequentialErrorRateEvaluator(_criteria);
        var canarySelector = LabelSelector.Parse("version=\"canary\"");
        _check = new SequentialErrorRateCheck(new SplitSource(canarySelector, _canary, _baseline), canarySelector, LabelSelector.Parse("version=\"baseline\""), Minute, _criteria);
        _now = Start;

        // Ten looks in, so the evidence holds every endpoint.
        for (var i = 0; i < 10; i++)
        {
            _ = LookAndCapture();
        }

        _evidence = _check.SaveEvidence().Json;
        Console.WriteLine($"// evidence: {_evidence.GetRawText().Length} bytes of JSON");
    }

    /// <summary>The evaluator alone: add one window's two snapshots and judge.</summary>
    [Benchmark(Baseline = true)]
    public CheckResult Judge()
    {
        _now += Minute;
        return _evaluator.Add(_canary, _baseline, _now - Minute, _now);
    }

    /// <summary>The check's look: two reads of in-memory snapshots, then the evaluator.</summary>
    [Benchmark]
    public CheckResult Look()
    {
        _now += Minute;
        return _check.MeasureAsync(_now).GetAwaiter().GetResult();
    }

    /// <summary>The look and the evidence captured, as the run does after every measurement (no JSON yet).</summary>
    [Benchmark]
    public CheckEvidence LookAndCapture()
    {
        _now += Minute;
        _ = _check.MeasureAsync(_now).GetAwaiter().GetResult();
        return _check.SaveEvidence();
    }

    /// <summary>The look and the evidence written as JSON, as saving the rollout's state after every look does.</summary>
    [Benchmark]
    public JsonElement LookAndWrite()
    {
        _now += Minute;
        _ = _check.MeasureAsync(_now).GetAwaiter().GetResult();
        return _check.SaveEvidence().Json;
    }

    /// <summary>A restarted controller: the saved evidence read back and validated by the check.</summary>
    [Benchmark]
    public SequentialErrorRateState Restore()
    {
        _check.RestoreEvidence(_evidence);
        return _check.Evidence;
    }

    /// <summary>Answers a canary selector with one snapshot and any other with another, allocating nothing per read.</summary>
    private sealed class SplitSource(LabelSelector canarySelector, TrafficSnapshot canary, TrafficSnapshot baseline) : ITrafficSource
    {
        private readonly Task<TrafficSnapshot> _canary = Task.FromResult(canary);
        private readonly Task<TrafficSnapshot> _baseline = Task.FromResult(baseline);

        public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default) =>
            ReferenceEquals(query.Selector, canarySelector) ? _canary : _baseline;
    }
}
