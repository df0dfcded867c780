using Canary.Analysis.Statistics;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.Statistics;

/// <summary>
/// The mixture SPRT for means. Monte Carlo (seeded): reproduce the printed numbers with
/// <c>dotnet test tests/Canary.Analysis.Tests -c Release --filter FullyQualifiedName~SequentialMeanTest --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class SequentialMeanTestTests(ITestOutputHelper output)
{
    private const double Sigma = 0.02;        // per-request latency standard deviation, seconds
    private const int Looks = 50;
    private const int CanaryPerLook = 10;     // a 5 % canary at 200 baseline requests per look
    private const int BaselinePerLook = 190;

    /// <summary>One run: per look, exact means of m normal observations; returns the crossing look of each test.</summary>
    private static (int? Sequential, int? Naive) Run(Random random, double canaryShift)
    {
        var looks = new List<SequentialMeanLook>(Looks);
        double canarySum = 0, baselineSum = 0;
        int? naive = null;
        for (var look = 1; look <= Looks; look++)
        {
            canarySum += CanaryPerLook * (0.1 + canaryShift + (Gaussian(random) * Sigma / Math.Sqrt(CanaryPerLook)));
            baselineSum += BaselinePerLook * (0.1 + (Gaussian(random) * Sigma / Math.Sqrt(BaselinePerLook)));
            long nc = look * CanaryPerLook, nb = look * BaselinePerLook;
            looks.Add(new SequentialMeanLook(nc, canarySum / nc, nb, baselineSum / nb));
            var z = ((canarySum / nc) - (baselineSum / nb)) / (Sigma * Math.Sqrt((1.0 / nc) + (1.0 / nb)));
            if (naive is null && z > 1.6448536269514722)
            {
                naive = look;
            }
        }

        var result = SequentialMeanTest.Evaluate(looks, new SequentialMeanTestOptions { StandardDeviation = Sigma, MixtureScale = 0.01 });
        return (result.CrossingLook, naive);
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    [Fact]
    public void HealthyCanaries_KeepAlphaOverAllLooks_WhileARepeatedZTestDoesNot()
    {
        var random = new Random(20261126);
        const int runs = 3000;
        int sequential = 0, naive = 0;
        for (var i = 0; i < runs; i++)
        {
            var (s, n) = Run(random, 0);
            sequential += s is null ? 0 : 1;
            naive += n is null ? 0 : 1;
        }

        var se = Math.Sqrt(0.05 * 0.95 / runs);
        output.WriteLine($"A/A, {runs} runs × {Looks} looks, α = 0.05: sequential {sequential / (double)runs:P2}, repeated one-sided z-test {naive / (double)runs:P2} (MC s.e. {se:P2})");
        Assert.True(sequential / (double)runs <= 0.05 + (3 * se), $"sequential false alarms {sequential}/{runs}");
        Assert.True(naive / (double)runs > 0.05 + (3 * se), $"the naive test should exceed α: {naive}/{runs}");
    }

    [Theory]
    [InlineData(0.01, 0.9)]   // +10 % mean latency
    [InlineData(0.004, 0.8)]  // +4 %
    public void Regressions_AreDetected_AndTheMedianLookIsReported(double shift, double minimumDetection)
    {
        var random = new Random(7);
        const int runs = 1000;
        var crossings = new List<int>();
        for (var i = 0; i < runs; i++)
        {
            if (Run(random, shift).Sequential is { } look)
            {
                crossings.Add(look);
            }
        }

        crossings.Sort();
        var rate = crossings.Count / (double)runs;
        var median = crossings.Count == 0 ? double.NaN : crossings[crossings.Count / 2];
        output.WriteLine($"canary mean +{shift * 1000} ms on 100 ms (σ 20 ms), 5 % canary: detected {rate:P1} within {Looks} looks, median look {median}");
        Assert.True(rate >= minimumDetection, $"detection {rate}");
    }

    [Fact]
    public void Greater_IgnoresAFasterCanary_TwoSidedSeesIt()
    {
        var looks = new[] { new SequentialMeanLook(1000, 0.08, 20000, 0.1) };
        var greater = SequentialMeanTest.Evaluate(looks, new SequentialMeanTestOptions { StandardDeviation = Sigma });
        var twoSided = SequentialMeanTest.Evaluate(looks, new SequentialMeanTestOptions { StandardDeviation = Sigma, Alternative = Alternative.TwoSided });

        Assert.False(greater.BoundaryCrossed);
        Assert.True(twoSided.BoundaryCrossed);
        Assert.Equal(-0.02, twoSided.Difference, 12);
    }

    [Fact]
    public void MatchesTheClosedForm()
    {
        // V = σ²(1/n_c + 1/n_b); two-sided Λ = √(V/(V+τ²)) exp(τ²d²/(2V(V+τ²))).
        var look = new SequentialMeanLook(50, 0.105, 950, 0.1);
        var result = SequentialMeanTest.Evaluate([look], new SequentialMeanTestOptions { StandardDeviation = Sigma, MixtureScale = 0.01, Alternative = Alternative.TwoSided });
        double v = Sigma * Sigma * ((1.0 / 50) + (1.0 / 950)), t2 = 0.0001, d = 0.005;
        var expected = Math.Sqrt(v / (v + t2)) * Math.Exp(t2 * d * d / (2 * v * (v + t2)));
        Assert.Equal(expected, result.EValues[0], 12);
    }

    [Theory]
    [InlineData(double.NaN, 0.05)]
    [InlineData(0.02, 1)]
    public void InvalidOptions_Throw(double sigma, double alpha) =>
        Assert.Throws<ArgumentException>(() => SequentialMeanTest.Evaluate([], new SequentialMeanTestOptions { StandardDeviation = sigma, Alpha = alpha }));

    [Fact]
    public void DecreasingCounts_Throw() =>
        Assert.Contains("fewer observations", Assert.Throws<ArgumentException>(() => SequentialMeanTest.Evaluate(
            [new SequentialMeanLook(10, 0.1, 10, 0.1), new SequentialMeanLook(5, 0.1, 10, 0.1)],
            new SequentialMeanTestOptions { StandardDeviation = Sigma })).Message, StringComparison.Ordinal);
}
