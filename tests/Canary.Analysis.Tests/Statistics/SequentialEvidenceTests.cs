using System.Text.Json;
using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Tests.Statistics;

/// <summary><see cref="SequentialRateRatioEvidence"/> and <see cref="SequentialRateLimitEvidence"/>: immutable, restorable e-values.</summary>
public sealed class SequentialEvidenceTests
{
    [Fact]
    public void RateRatio_Add_ReturnsANewValue_AndEqualsTheMixtureOfLikelihoodRatios()
    {
        var start = new SequentialRateRatioEvidence(Alternative.Greater, 1.25, 100);
        IntervalCounts[] strata = [new(3, 50, 2, 950), new(1, 10, 0, 190)];

        var after = start.Add(strata);

        Assert.Equal(1, start.EValue);
        Assert.All(start.LogLikelihoodRatios, l => Assert.Equal(0, l));
        var expected = Enumerable.Range(0, 24).Average(j =>
        {
            var rho = Math.Exp(Math.Log(1.25) + ((Math.Log(100) - Math.Log(1.25)) * j / 23));
            return strata.Aggregate(1.0, (lr, c) =>
            {
                var s = (double)c.CanaryTrials / (c.CanaryTrials + c.BaselineTrials);
                return lr * Math.Pow(rho, c.CanaryEvents) / Math.Pow(1 + (s * (rho - 1)), c.CanaryEvents + c.BaselineEvents);
            });
        });
        Assert.Equal(expected, after.EValue, expected * 1e-12);
        Assert.Equal(Math.Max(1, after.EValue), after.MaxEValue);
        Assert.Equal(after, start.Add(strata));
        Assert.NotEqual(after, start.Add(strata[0]));
    }

    [Fact]
    public void RateRatio_RestoredFromItsParts_EqualsTheOriginal_AndContinuesTheSame()
    {
        var evidence = new SequentialRateRatioEvidence(Alternative.TwoSided, 1.5, 10).Add(new IntervalCounts(4, 40, 3, 400));
        var restored = new SequentialRateRatioEvidence(evidence.Alternative, evidence.MinimumRateRatio, evidence.MaximumRateRatio, [.. evidence.LogLikelihoodRatios], evidence.EValue, evidence.MaxEValue);

        Assert.Equal(48, evidence.LogLikelihoodRatios.Count);
        Assert.Equal(evidence, restored);
        Assert.Equal(evidence.Add(new IntervalCounts(0, 40, 1, 400)), restored.Add(new IntervalCounts(0, 40, 1, 400)));
    }

    [Fact]
    public void RateRatio_BadCountsOrRestore_Throw()
    {
        var evidence = new SequentialRateRatioEvidence(Alternative.Greater, 1.25, 100);

        Assert.Throws<ArgumentException>(() => evidence.Add(new IntervalCounts(5, 4, 0, 10)));
        Assert.Throws<ArgumentException>(() => evidence.Add(new IntervalCounts(-1, 4, 0, 10)));
        Assert.Throws<ArgumentException>(() => new SequentialRateRatioEvidence(Alternative.Greater, 1.25, 100, [0.0, 0.0], 1, 1));
        Assert.Throws<ArgumentException>(() => new SequentialRateRatioEvidence(Alternative.Greater, 1, 100));
        Assert.ThrowsAny<ArgumentException>(() => new SequentialRateRatioEvidence((Alternative)9, 1.25, 100));
    }

    [Fact]
    public void RateLimit_Add_NoTrialsChangesNothing_ErrorsAboveTheLimitGrow_Json()
    {
        var start = new SequentialRateLimitEvidence(0.05, 1.25, 100);

        Assert.Same(start, start.Add(0, 0));
        var failing = start.Add(10, 20);
        Assert.True(failing.EValue > 20, failing.EValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(start.Add(0, 20).EValue < 1);
        Assert.ThrowsAny<ArgumentException>(() => start.Add(3, 2));
        Assert.ThrowsAny<ArgumentException>(() => new SequentialRateLimitEvidence(1, 1.25, 100));

        var json = JsonSerializer.Serialize(failing, EvidenceJsonContext.Default.SequentialRateLimitEvidence);
        Assert.Equal(failing, JsonSerializer.Deserialize(json, EvidenceJsonContext.Default.SequentialRateLimitEvidence));
    }
}
