using System.Text.Json;
using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Evaluation.Internal;
using Canary.Analysis.Statistics;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Evaluation;

/// <summary>
/// Issue 11, item 2: the sequential evidence tempered for errors that arrive in bursts
/// (<see cref="SequentialErrorRateCriteria.EstimateErrorDispersion"/>): a burst landing in a healthy canary no longer fails it,
/// a sustained regression still does, the tempering is chosen from the totals alone, and restarts carry the estimate.
/// </summary>
public sealed class BurstTemperingTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly string[] Names = ["/a", "/b", "/c", "/d"];

    private static SequentialErrorRateCriteria Criteria(bool tempered = true) => new() { EstimateErrorDispersion = tempered };

    private static TrafficSnapshot Snapshot(DateTimeOffset end, IEnumerable<(string Endpoint, long Requests, long Errors)> endpoints) =>
        new(end, Minute, endpoints.Select(e => new EndpointTraffic(e.Endpoint, e.Requests, e.Requests - e.Errors)));

    /// <summary>One window: every endpoint 50 canary and 950 baseline requests, with the given errors (canary, baseline) per endpoint.</summary>
    private static CheckResult Add(SequentialErrorRateEvaluator evaluator, int window, Func<string, (long Canary, long Baseline)> errors)
    {
        var end = Start + (Minute * (window + 1));
        var canary = Snapshot(end, Names.Select(n => (n, 50L, errors(n).Canary)));
        var baseline = Snapshot(end, Names.Select(n => (n, 950L, errors(n).Baseline)));
        return evaluator.Add(canary, baseline, end - Minute, end);
    }

    /// <summary>A healthy window: about 5 baseline errors per endpoint (0.5 %), the canary's fair share now and then.</summary>
    private static (long, long) Healthy(string endpoint, int window) => ((window + endpoint.Length) % 4 == 0 ? 1 : 0, 3 + ((window + endpoint[1]) % 4));

    [Fact]
    public void BurstLandingInTheCanary_HealthyOtherwise_NoLongerFails()
    {
        var exact = new SequentialErrorRateEvaluator(Criteria(tempered: false));
        var tempered = new SequentialErrorRateEvaluator(Criteria());
        for (var w = 0; w < 12; w++)
        {
            // Minute 6: one client's 20 retries all fail on the canary's /b (the canary's 5 % share: 1 chance in 20).
            var window = w;
            Func<string, (long, long)> errors = n => window == 6 && n == "/b" ? (20, Healthy(n, window).Item2) : Healthy(n, window);
            _ = Add(exact, w, errors);
            _ = Add(tempered, w, errors);
        }

        Assert.Equal(Verdict.Fail, exact.Result().Verdict);
        Assert.NotEqual(Verdict.Fail, tempered.Result().Verdict);
        Assert.True(tempered.State.MaxCombinedEValue < 0.2 / Criteria().Alpha, tempered.State.MaxCombinedEValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void SustainedRegression_StillFails_WithinThreeMinutesOfTheExactEvidence()
    {
        // The canary at 4 % (2 of 50) on every endpoint vs the baseline's 0.5 %.
        int FailsAt(bool tempered)
        {
            var evaluator = new SequentialErrorRateEvaluator(Criteria(tempered));
            for (var w = 0; w < 30; w++)
            {
                var window = w;
                if (Add(evaluator, w, n => (2, Healthy(n, window).Item2)).Verdict == Verdict.Fail)
                {
                    return w;
                }
            }

            return int.MaxValue;
        }

        var exact = FailsAt(tempered: false);
        Assert.True(exact < 10, exact.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Until ~15 errors have been seen beyond the first windows, a window counts as one burst (the first windows here).
        Assert.InRange(FailsAt(tempered: true), exact, exact + 3);
    }

    [Fact]
    public void Tempering_IsChosenFromTheTotalsAlone_NeverFromTheSplit()
    {
        // The same totals split the other way round give the same dispersion sums (the evidence differs, of course).
        var a = new SequentialErrorRateEvaluator(Criteria());
        var b = new SequentialErrorRateEvaluator(Criteria());
        for (var w = 0; w < 8; w++)
        {
            var window = w;
            _ = Add(a, w, n => Healthy(n, window));
            _ = Add(b, w, n => (0, Healthy(n, window).Item1 + Healthy(n, window).Item2));
        }

        Assert.Equal(a.State.Endpoints.Select(e => e.Dispersion), b.State.Endpoints.Select(e => e.Dispersion));
        Assert.All(a.State.Endpoints, e => Assert.Equal(8, e.Dispersion.Windows));
    }

    [Fact]
    public void PooledDispersion_IsAboutTheBurstSize_AndOneForIndependentErrors()
    {
        // Totals of bursts of 5 (0 or 5 or 10 errors a window) vs Poisson-like totals with the same mean.
        var bursty = new SequentialErrorDispersion();
        var independent = new SequentialErrorDispersion();
        long[] burstyErrors = [0, 5, 0, 0, 10, 0, 5, 0, 0, 5, 0, 0, 0, 5, 0, 0, 10, 0, 0, 5];
        long[] poissonErrors = [2, 1, 3, 2, 0, 2, 1, 4, 2, 1, 3, 2, 0, 2, 1, 3, 2, 1, 2, 2];
        for (var i = 0; i < burstyErrors.Length; i++)
        {
            bursty = bursty.Add(burstyErrors[i], 1000);
            independent = independent.Add(poissonErrors[i], 1000);
        }

        Assert.InRange(BurstTempering.Pooled([bursty]), 4, 7);
        Assert.InRange(BurstTempering.Pooled([independent]), 1, 1.01);
        Assert.Equal(double.PositiveInfinity, BurstTempering.Pooled([new SequentialErrorDispersion().Add(7, 1000)])); // one window: nothing to estimate from
    }

    [Theory]
    [InlineData(1, 1)] // one error is its own cluster: exact
    [InlineData(12, 12)] // the first window: a burst as large as its errors is possible
    public void FirstWindow_AndUntilEstimated_IsTemperedByItsErrors(long errors, double phi)
    {
        Assert.Equal(phi, BurstTempering.Dispersion(errors, 1000, new SequentialErrorDispersion(), pooled: 1, minimum: 1));
        var history = new SequentialErrorDispersion().Add(5, 1000);
        Assert.Equal(phi, BurstTempering.Dispersion(errors, 1000, history, pooled: BurstTempering.Pooled([history]), minimum: 1));
    }

    [Fact]
    public void Window_FarAboveTheUsualRate_IsABurstOfItsOwn_OrdinaryWindowsTakeTheEstimate()
    {
        var history = new SequentialErrorDispersion().Add(5, 1000).Add(4, 1000).Add(6, 1000);
        Assert.Equal(30, BurstTempering.Dispersion(30, 1000, history, pooled: 1.1, minimum: 1));
        Assert.Equal(1.1, BurstTempering.Dispersion(6, 1000, history, pooled: 1.1, minimum: 1), 12);
        Assert.Equal(3, BurstTempering.Dispersion(6, 1000, history, pooled: 1.1, minimum: 3), 12);
        Assert.Equal(4, BurstTempering.Dispersion(2, 1000, history, pooled: 4, minimum: 1), 12); // fewer errors than a burst: still weighted 2/φ
        Assert.Equal(4, BurstTempering.Dispersion(1, 1000, history, pooled: 4, minimum: 1), 12);
    }

    [Theory]
    [InlineData(20, 0.05, 20, true)]
    [InlineData(20, 0.05, 25, true)]
    [InlineData(5, 0.05, 5, true)]
    [InlineData(5, 0.05, 1, false)]
    [InlineData(20, 0.05, 17, false)]
    public void TemperedFactor_OneBurstOfB_HasMeanAtMostOne_ExactlyWhenPhiIsAtLeastB(int burst, double share, double phi, bool valid)
    {
        // One cluster of B errors lands whole in the canary with probability s: LR^(1/φ) = LR₁^(B/φ), mean ≤ 1 iff B/φ ≤ 1.
        var canaryTrials = (long)Math.Round(share * 1_000_000);
        var fresh = new SequentialRateRatioEvidence(Alternative.Greater, 1.25, 100);
        double EValue(long canaryEvents) => fresh.Add([new IntervalCounts(canaryEvents, canaryTrials, burst - canaryEvents, 1_000_000 - canaryTrials)], default, 0, [1 / phi]).EValue;
        var mean = (share * EValue(burst)) + ((1 - share) * EValue(0));
        Assert.True(valid ? mean <= 1 + 1e-12 : mean > 1, mean.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Restart_CarriesTheDispersionEstimate_AndContinuesExactly()
    {
        var uninterrupted = new SequentialErrorRateEvaluator(Criteria());
        var restarted = new SequentialErrorRateEvaluator(Criteria());
        for (var w = 0; w < 10; w++)
        {
            var window = w;
            Func<string, (long, long)> errors = n => window % 3 == 1 ? (0, 15) : Healthy(n, window);
            _ = Add(uninterrupted, w, errors);
            _ = Add(restarted, w, errors);
            var json = JsonSerializer.Serialize(restarted.State, EvidenceJsonContext.Default.SequentialErrorRateState);
            restarted = new SequentialErrorRateEvaluator(Criteria(), JsonSerializer.Deserialize(json, EvidenceJsonContext.Default.SequentialErrorRateState));
        }

        Assert.Equal(uninterrupted.State, restarted.State);
        Assert.True(BurstTempering.Pooled([.. restarted.State.Endpoints.Select(e => e.Dispersion)]) > 2, "the bursts raise the estimate");

        // A state saved before the sums existed (no Dispersion) resumes, learning the dispersion from then on.
        var old = restarted.State with { Endpoints = [.. restarted.State.Endpoints.Select(e => e with { Dispersion = new SequentialErrorDispersion() })] };
        var resumed = new SequentialErrorRateEvaluator(Criteria(), old);
        _ = Add(resumed, 10, n => Healthy(n, 10));
        Assert.All(resumed.State.Endpoints, e => Assert.Equal(1, e.Dispersion.Windows));
    }
}
