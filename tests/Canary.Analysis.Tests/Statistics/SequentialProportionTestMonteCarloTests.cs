using Canary.Analysis.Statistics;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.Statistics;

/// <summary>
/// Seeded Monte Carlo proof of <see cref="SequentialProportionTest"/> on the DESIGN.md scenario: 100 req/s, 5 % canary share,
/// 0.5 % baseline errors, 50 looks one minute apart (canary 300 and baseline 5 700 requests per look).
/// </summary>
public sealed class SequentialProportionTestMonteCarloTests
{
    private const int Looks = 50;
    private const int CanaryPerLook = 300;
    private const int BaselinePerLook = 5_700;
    private const double BaselineRate = 0.005;
    private const double Alpha = 0.05;

    private readonly ITestOutputHelper _output;

    public SequentialProportionTestMonteCarloTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void HealthyCanaries_KeepAlphaOverAllLooks_WhileARepeatedZTestDoesNot()
    {
        const int runs = 2_000;
        var random = new Random(20240603);
        int sequentialAlarms = 0;
        int naiveAlarms = 0;
        int naiveYatesAlarms = 0;
        var looks = new SequentialLook[Looks];
        for (int run = 0; run < runs; run++)
        {
            Simulate(random, BaselineRate, looks);
            if (SequentialProportionTest.Evaluate(looks, new SequentialTestOptions { Alpha = Alpha }).BoundaryCrossed)
            {
                sequentialAlarms++;
            }

            if (NaiveAlarm(looks, correct: false))
            {
                naiveAlarms++;
            }

            if (NaiveAlarm(looks, correct: true))
            {
                naiveYatesAlarms++;
            }
        }

        double sequential = (double)sequentialAlarms / runs;
        double naive = (double)naiveAlarms / runs;
        double naiveYates = (double)naiveYatesAlarms / runs;
        double standardError = Math.Sqrt(Alpha * (1 - Alpha) / runs);
        _output.WriteLine($"A/A, {runs} runs × {Looks} looks, α = {Alpha}, MC standard error {standardError:F4}:");
        _output.WriteLine($"  sequential e-value (rate-ratio mixture) false alarms:          {sequential:P2}");
        _output.WriteLine($"  naive z-test (prop.test, greater, no correction) at every look: {naive:P2}");
        _output.WriteLine($"  naive z-test with Yates' correction at every look:            {naiveYates:P2}");

        Assert.True(sequential <= Alpha + (3 * standardError), $"sequential false-alarm rate {sequential:P2}");
        Assert.True(naive > Alpha + (3 * standardError), $"naive repeated z-test false-alarm rate {naive:P2} should exceed α");
    }

    [Theory]
    [InlineData(0.05, 0.99, 2)]
    [InlineData(0.02, 0.99, 5)]
    [InlineData(0.01, 0.90, 20)]
    public void Regressions_AreDetected_AndTheMedianLookIsReported(double canaryRate, double minimumDetection, int maximumMedianLook)
    {
        const int runs = 1_000;
        var random = new Random(20240604);
        var crossings = new List<int>();
        var looks = new SequentialLook[Looks];
        for (int run = 0; run < runs; run++)
        {
            Simulate(random, canaryRate, looks);
            SequentialTestResult result = SequentialProportionTest.Evaluate(looks, new SequentialTestOptions { Alpha = Alpha });
            if (result.CrossingLook is { } look)
            {
                crossings.Add(look);
            }
        }

        crossings.Sort();
        double detection = (double)crossings.Count / runs;
        string median = crossings.Count * 2 > runs ? crossings[(runs - 1) / 2].ToString(System.Globalization.CultureInfo.InvariantCulture) : "not reached";
        string p90 = crossings.Count * 10 >= runs * 9 ? crossings[(runs * 9 / 10) - 1].ToString(System.Globalization.CultureInfo.InvariantCulture) : "not reached";
        _output.WriteLine(
            $"0.5 % → {canaryRate:P1} at 5 % traffic, {runs} runs: detected within {Looks} looks in {detection:P1}; " +
            $"median look of detection (over all runs, undetected = ∞) {median}; 90th percentile {p90}");

        Assert.True(detection >= minimumDetection, $"detection rate {detection:P1}");
        Assert.True(crossings.Count * 2 > runs && crossings[(runs - 1) / 2] <= maximumMedianLook, $"median look {median}");
    }

    /// <summary>Fills <paramref name="looks"/> with cumulative counts of one simulated canary.</summary>
    private static void Simulate(Random random, double canaryRate, SequentialLook[] looks)
    {
        long canaryErrors = 0;
        long baselineErrors = 0;
        for (int i = 0; i < looks.Length; i++)
        {
            canaryErrors += SampleBinomial(random, CanaryPerLook, canaryRate);
            baselineErrors += SampleBinomial(random, BaselinePerLook, BaselineRate);
            looks[i] = new SequentialLook(canaryErrors, (long)CanaryPerLook * (i + 1), baselineErrors, (long)BaselinePerLook * (i + 1));
        }
    }

    private static bool NaiveAlarm(SequentialLook[] looks, bool correct)
    {
        var options = new ProportionTestOptions { Alternative = Alternative.Greater, ContinuityCorrection = correct };
        foreach (SequentialLook look in looks)
        {
            ProportionTestResult r = ProportionTest.TwoSample(look.CanaryEvents, look.CanaryTrials, look.BaselineEvents, look.BaselineTrials, options);
            if (r.PValue < Alpha)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Binomial(n, p) by inversion of the cumulative distribution (fine while (1 − p)ⁿ is a normal double).</summary>
    internal static int SampleBinomial(Random random, int n, double p)
    {
        double u = random.NextDouble();
        double probability = Math.Pow(1 - p, n);
        double cumulative = probability;
        int k = 0;
        while (u > cumulative && k < n)
        {
            probability *= (n - k) / (double)(k + 1) * p / (1 - p);
            k++;
            cumulative += probability;
        }

        return k;
    }
}
