using System.Text.Json;
using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Statistics;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Evaluation;

/// <summary>
/// Issue 11, item 6: a window whose errors (both versions together) are far above an endpoint's usual rate is a shared
/// outage; its factor is hedged, w + (1 − w) × LR, so it shrinks the evidence at most by w and the e-process stays valid.
/// </summary>
public sealed class SharedOutageHedgeTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static SequentialErrorRateCriteria Criteria(bool hedged = true) => new()
    {
        Weights = new EndpointWeights { ["/a"] = 0.5, ["/b"] = 0.5 },
        SharedOutageErrorFactor = hedged ? 4 : null,

        // The hedge alone, against the exact ratios (the burst tempering has its own tests: BurstTemperingTests).
        EstimateErrorDispersion = false,
    };

    private static TrafficSnapshot Snapshot(DateTimeOffset end, params (string Endpoint, long Requests, long Errors)[] endpoints) =>
        new(end, Minute, endpoints.Select(e => new EndpointTraffic(e.Endpoint, e.Requests, e.Requests - e.Errors)));

    /// <summary>Feeds looks of (canary requests, canary errors, baseline requests, baseline errors), the same on /a and /b.</summary>
    private static SequentialErrorRateEvaluator Feed(SequentialErrorRateCriteria criteria, params (long Cr, long Ce, long Br, long Be)[] looks)
    {
        var evaluator = new SequentialErrorRateEvaluator(criteria);
        for (var i = 0; i < looks.Length; i++)
        {
            var (cr, ce, br, be) = looks[i];
            var end = Start + (Minute * (i + 1));
            _ = evaluator.Add(Snapshot(end, ("/a", cr, ce), ("/b", cr, ce)), Snapshot(end, ("/a", br, be), ("/b", br, be)), end - Minute, end);
        }

        return evaluator;
    }

    private static readonly (long, long, long, long)[] Regressing = [.. Enumerable.Repeat((100L, 4L, 1000L, 5L), 6)];

    [Fact]
    public void SharedOutage_ShrinksTheEvidenceAtMostByTheNullWeight_WhereMainErasedIt()
    {
        // Six minutes of a canary at 4 % vs a baseline at 0.5 %, then a minute where both fail half their requests.
        (long, long, long, long) outage = (100, 50, 1000, 500);
        var before = Feed(Criteria(), Regressing).State;
        var hedged = Feed(Criteria(), [.. Regressing, outage]).State;
        var unhedged = Feed(Criteria(hedged: false), [.. Regressing, outage]).State;

        foreach (var (was, now) in before.Endpoints.Zip(hedged.Endpoints))
        {
            Assert.InRange(now.EValue, 0.99 * was.EValue * (1 - 1e-12), was.EValue * 1.01);
            Assert.Equal(1100, now.OutageRequests);
            Assert.Equal(550, now.OutageErrors);
        }

        Assert.InRange(hedged.ServiceWide.EValue, 0.99 * before.ServiceWide.EValue * (1 - 1e-12), before.ServiceWide.EValue * 1.01);
        Assert.True(unhedged.Endpoints[0].EValue < 1e-3 * before.Endpoints[0].EValue, $"main's outage minute erases the evidence: {unhedged.Endpoints[0].EValue}");
        Assert.True(unhedged.ServiceWide.EValue < 1e-3 * before.ServiceWide.EValue, unhedged.ServiceWide.EValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void SharedOutage_IsToldFromTheTotalsAlone_NeverFromTheSplit()
    {
        // Same totals (550 errors in 1 100 requests), opposite splits: both are outages, and the canary failing alone still counts.
        var canaryWorse = Feed(Criteria(), [.. Regressing, (100, 100, 1000, 450)]).State;
        var baselineWorse = Feed(Criteria(), [.. Regressing, (100, 0, 1000, 550)]).State;
        Assert.All(canaryWorse.Endpoints.Concat(baselineWorse.Endpoints), e => Assert.Equal(550, e.OutageErrors));
        Assert.True(canaryWorse.Endpoints[0].EValue > 10 * Feed(Criteria(), Regressing).State.Endpoints[0].EValue, "a canary failing every request during the outage still adds evidence");

        // An ordinary window is not an outage: nothing is set aside and the evidence is exactly main's.
        var ordinary = Feed(Criteria(), Regressing).State;
        var main = Feed(Criteria(hedged: false), Regressing).State;
        Assert.All(ordinary.Endpoints, e => Assert.Equal(0, e.OutageRequests));
        Assert.Equal(main.Endpoints.Select(e => e.EValue), ordinary.Endpoints.Select(e => e.EValue));
        Assert.Equal(main.ServiceWide.EValue, ordinary.ServiceWide.EValue);
    }

    [Fact]
    public void FirstWindow_IsNeverAnOutage_NothingToCompareWith()
    {
        var state = Feed(Criteria(), (100, 50, 1000, 500)).State;
        Assert.All(state.Endpoints, e => Assert.Equal(0, e.OutageRequests));
    }

    [Theory]
    [InlineData(20, 0.05, 0.9)]
    [InlineData(550, 0.0909, 0.99)]
    [InlineData(3, 0.5, 0.5)]
    public void HedgedFactor_HasMeanOneUnderEqualRates_GivenTheTotals(int events, double share, double nullWeight)
    {
        // The conditional likelihood ratio of one window given its total events is a binomial one (canary events ~ Bin(E, s)
        // under equal rates): its mean is exactly 1, and so is the hedged factor's, for every rate ratio of the prior.
        var canaryTrials = (long)Math.Round(share * 1_000_000);
        var fresh = new SequentialRateRatioEvidence(Alternative.Greater, 1.25, 100);
        var mean = 0.0;
        for (var k = 0; k <= events; k++)
        {
            var counts = new IntervalCounts(k, canaryTrials, events - k, 1_000_000 - canaryTrials);
            var after = fresh.Add([counts], [true], nullWeight);
            var s = canaryTrials / 1_000_000.0;
            var logEValue = LogMeanExp(after.LogLikelihoodRatios);
            mean += Math.Exp(LogChoose(events, k) + (k * Math.Log(s)) + ((events - k) * Math.Log(1 - s)) + logEValue);
        }

        Assert.Equal(1, mean, 9);
    }

    [Fact]
    public void SavedState_KeepsTheOutageCounts_AndRefusesImpossibleOnes()
    {
        var state = Feed(Criteria(), [.. Regressing, (100, 50, 1000, 500)]).State;
        var json = JsonSerializer.Serialize(state, EvidenceJsonContext.Default.SequentialErrorRateState);
        Assert.Contains("\"outageRequests\":1100", json, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(state, JsonSerializer.Deserialize(json, EvidenceJsonContext.Default.SequentialErrorRateState));

        var impossible = state with { Endpoints = [.. state.Endpoints.Select(e => e with { OutageErrors = e.CanaryErrors + e.BaselineErrors + 1 })] };
        Assert.Throws<ArgumentException>(impossible.Validate);
        Assert.Throws<ArgumentException>(() => new SequentialErrorRateCriteria { SharedOutageNullWeight = 1 }.Validate());
        Assert.Throws<ArgumentException>(() => new SequentialErrorRateCriteria { SharedOutageErrorFactor = 0.5 }.Validate());
    }

    private static double LogMeanExp(IReadOnlyList<double> values)
    {
        var max = values.Max();
        return max + Math.Log(values.Sum(v => Math.Exp(v - max)) / values.Count);
    }

    private static double LogChoose(int n, int k)
    {
        var sum = 0.0;
        for (var i = 1; i <= k; i++)
        {
            sum += Math.Log(n - k + i) - Math.Log(i);
        }

        return sum;
    }
}
