using System.Text.Json;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Tests.Statistics;

/// <summary>
/// <see cref="GroupSequentialSplitEvidence"/> against an independent SciPy implementation over the full support
/// (<c>Reference/group-sequential-split.py</c>, which wrote <c>group-sequential-split.json</c>), its error rate under equal
/// rates by seeded simulation, and its saved form.
/// </summary>
public sealed class GroupSequentialSplitEvidenceTests
{
    private static readonly JsonElement Cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Statistics", "Reference", "group-sequential-split.json"))).RootElement;

    public static TheoryData<string> CaseNames
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (var c in Cases.EnumerateArray())
            {
                names.Add(c.GetProperty("name").GetString()!);
            }

            return names;
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void EveryLook_MatchesTheScipyReference(string name)
    {
        var c = Cases.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var test = new GroupSequentialSplitEvidence(c.GetProperty("alpha").GetDouble(), c.GetProperty("looks").GetInt32());
        var observed = c.GetProperty("observed");
        foreach (var row in c.GetProperty("rows").EnumerateArray())
        {
            var look = row.GetProperty("look").GetInt32();
            test = test.Add(Strata(observed[look - 1]));
            Assert.Equal(look, test.Look);
            Assert.Equal(row.GetProperty("critical").GetInt64(), test.CriticalValue);
            Assert.Equal(row.GetProperty("canaryEvents").GetInt64(), test.CanaryEvents);
            Assert.Equal(row.GetProperty("crossed").GetBoolean(), test.Crossed);
            Assert.Equal(row.GetProperty("spent").GetDouble(), test.Spent, 1e-12);
        }

        Assert.True(test.IsClosed || test.Look < c.GetProperty("looks").GetInt32());
    }

    [Fact]
    public void OneLook_IsTheOneSidedExactBinomialTestOfTheSplit()
    {
        // 20 events, the canary's share 10 %: P(Binom(20, 0.1) ≥ 6) = 0.011253, ≥ 5: 0.043174 (SciPy binom.sf(5, 20, 0.1)
        // and binom.sf(4, 20, 0.1)); at α 0.02 the critical value is 6.
        var test = new GroupSequentialSplitEvidence(0.02, 1).Add([new IntervalCounts(6, 100, 14, 900)]);
        Assert.Equal(6, test.CriticalValue);
        Assert.True(test.Crossed);
        Assert.Equal(0.0112531, test.Spent, 6);
        var below = new GroupSequentialSplitEvidence(0.02, 1).Add([new IntervalCounts(5, 100, 15, 900)]);
        Assert.False(below.Crossed);
        Assert.True(below.IsClosed);
        Assert.Same(below, below.Add([new IntervalCounts(50, 100, 0, 900)]));
    }

    [Theory]
    [InlineData(0.05, 13, 0.3, 1.0)]
    [InlineData(0.01, 13, 2.0, 1.0)]
    [InlineData(0.04, 5, 30.0, 1.0)]
    [InlineData(0.05, 13, 0.3, 3.0)]
    [InlineData(0.04, 13, 30.0, 3.0)]
    [InlineData(0.04, 5, 30.0, 0.5)]
    public void EqualRates_CrossesAtMostAlphaOfTheTime_AndSpendsMostOfIt(double alpha, int looks, double eventsPerLook, double exponent)
    {
        // 4 000 seeded runs of three strata with different canary shares; the rate of crossing must be within α (plus three
        // standard errors of the simulation) and, for a test with events enough to be nearly continuous, not far below it.
        const int Runs = 4000;
        var random = new Random(20261206);
        var crossed = 0;
        double[] shares = [0.05, 0.1, 0.3];
        for (var run = 0; run < Runs; run++)
        {
            var test = new GroupSequentialSplitEvidence(alpha, looks, spendingExponent: exponent);
            for (var look = 0; look < looks && !test.IsClosed; look++)
            {
                var strata = new IntervalCounts[shares.Length];
                for (var i = 0; i < shares.Length; i++)
                {
                    var events = Poisson(random, eventsPerLook);
                    var canary = 0;
                    for (var e = 0; e < events; e++)
                    {
                        canary += random.NextDouble() < shares[i] ? 1 : 0;
                    }

                    strata[i] = new IntervalCounts(canary, (long)(shares[i] * 1000), events - canary, (long)((1 - shares[i]) * 1000));
                }

                test = test.Add(strata);
                Assert.True(test.Spent <= (alpha * Math.Pow(test.Look / (double)looks, exponent)) + 1e-15, $"spent {test.Spent} by look {test.Look}");
            }

            crossed += test.Crossed ? 1 : 0;
        }

        var rate = crossed / (double)Runs;
        var se = Math.Sqrt(alpha * (1 - alpha) / Runs);
        Assert.True(rate <= alpha + (3 * se), $"crossed {rate:P2} at α {alpha}");
        if (eventsPerLook >= 30)
        {
            Assert.True(rate >= alpha * 0.6, $"crossed only {rate:P2} at α {alpha}");
        }
    }

    [Fact]
    public void SavedAsJson_RestoresEqualAndContinuesTheSame()
    {
        var test = new GroupSequentialSplitEvidence(0.02, 13);
        test = test.Add([new IntervalCounts(2, 50, 20, 950), new IntervalCounts(0, 3, 1, 60)]).Add([new IntervalCounts(3, 50, 18, 950)]);
        var restored = JsonSerializer.Deserialize<GroupSequentialSplitEvidence>(JsonSerializer.Serialize(test))!;
        Assert.Equal(test, restored);
        var next = new IntervalCounts(4, 50, 15, 950);
        Assert.Equal(test.Add([next]), restored.Add([next]));
    }

    [Fact]
    public void SpendingExponent_KeepsAlphaForTheLastLooks()
    {
        // The same 13 looks of 30 events, 10 % of them to a 10 % canary: by look 4 linear spending may spend 4/13 of α, the cubic
        // only (4/13)³; both may spend all of it by look 13, and the cubic's last critical value is lower (more power at the end).
        IntervalCounts[] look = [new(3, 100, 27, 900)];
        var (linear, cubic) = (new GroupSequentialSplitEvidence(0.05, 13), new GroupSequentialSplitEvidence(0.05, 13, spendingExponent: 3));
        for (var k = 1; k <= 13; k++)
        {
            (linear, cubic) = (linear.Add(look), cubic.Add(look));
            if (k == 4)
            {
                Assert.InRange(linear.Spent, 0.0, 0.05 * 4 / 13);
                Assert.InRange(cubic.Spent, 0.0, 0.05 * Math.Pow(4 / 13.0, 3));
                Assert.True(cubic.CriticalValue > linear.CriticalValue, $"look 4: cubic {cubic.CriticalValue}, linear {linear.CriticalValue}");
            }
        }

        Assert.True(cubic.CriticalValue < linear.CriticalValue, $"look 13: cubic {cubic.CriticalValue}, linear {linear.CriticalValue}");
        Assert.Equal(3, cubic.SpendingExponent);
    }

    [Fact]
    public void SavedBeforeTheExponent_RestoresLinearSpending()
    {
        var test = new GroupSequentialSplitEvidence(0.02, 13).Add([new IntervalCounts(2, 50, 20, 950)]);
        var json = JsonSerializer.Serialize(test).Replace(",\"SpendingExponent\":1", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("SpendingExponent", json, StringComparison.Ordinal);
        var restored = JsonSerializer.Deserialize<GroupSequentialSplitEvidence>(json)!;
        Assert.Equal(test, restored);
        Assert.Equal(1, restored.SpendingExponent);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(11.0)]
    [InlineData(double.NaN)]
    public void ImpossibleSpendingExponent_IsRefused(double exponent)
    {
        var error = Assert.Throws<ArgumentException>(() => new GroupSequentialSplitEvidence(0.05, 13, spendingExponent: exponent));
        Assert.Contains("spending exponent", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, 13, 0, 0.0)]
    [InlineData(0.05, 0, 0, 0.0)]
    [InlineData(0.05, 13, 14, 0.0)]
    [InlineData(0.05, 13, 1, 0.01)]
    [InlineData(0.05, 13, 0, 0.001)]
    public void ImpossibleSavedValues_AreRefused(double alpha, int looks, int look, double spent)
    {
        var error = Assert.Throws<ArgumentException>(() => new GroupSequentialSplitEvidence(alpha, looks, look, spent: spent));
        Assert.Contains("group-sequential split test", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DistributionWithMoreThanCertainty_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new GroupSequentialSplitEvidence(0.05, 13, 1, 0, 0, 0, [0.7, 0.6], 2));

    [Fact]
    public void AgainstARate_OneLook_IsTheOneSidedExactBinomialTest()
    {
        // 100 canary requests against a known rate of 2 %: P(Binom(100, 0.02) ≥ 6) = 0.015484, ≥ 5: 0.050830; at α 0.02 the
        // critical value is 6 (the baseline's counts are not read).
        var test = new GroupSequentialSplitEvidence(0.02, 1).AddAgainstRates([new IntervalCounts(6, 100, 999, 1000)], [0.02], []);
        Assert.Equal(6, test.CriticalValue);
        Assert.True(test.Crossed);
        Assert.Equal(0.015484, test.Spent, 5);
        Assert.False(new GroupSequentialSplitEvidence(0.02, 1).AddAgainstRates([new IntervalCounts(5, 100, 0, 0)], [0.02], []).Crossed);

        // Tempered: 6 errors counted as 3 (bursts of 2) no longer reach the critical value.
        Assert.False(new GroupSequentialSplitEvidence(0.02, 1).AddAgainstRates([new IntervalCounts(6, 100, 0, 0)], [0.02], [0.5]).Crossed);
        Assert.Throws<ArgumentException>(() => new GroupSequentialSplitEvidence(0.02, 1).AddAgainstRates([new IntervalCounts(1, 10, 0, 0)], [0], []));
    }

    [Theory]
    [InlineData(0.05, 13, 0.005, 12.0)]
    [InlineData(0.01, 13, 0.01, 300.0)]
    public void AgainstARate_AtTheRate_CrossesAtMostAlphaOfTheTime(double alpha, int looks, double rate, double requestsPerLook)
    {
        // 4 000 seeded runs of two strata (one sparse, one busy) whose canary errors are Binomial(requests, rate) at their null
        // rates; and a canary at half the rate crosses less often still.
        const int Runs = 4000;
        var random = new Random(20261208);
        int crossed = 0, crossedBelow = 0;
        for (var run = 0; run < Runs; run++)
        {
            var (test, below) = (new GroupSequentialSplitEvidence(alpha, looks), new GroupSequentialSplitEvidence(alpha, looks));
            for (var look = 0; look < looks; look++)
            {
                var sparse = Poisson(random, requestsPerLook / 10);
                var busy = Poisson(random, requestsPerLook);
                test = test.AddAgainstRates([new IntervalCounts(Errors(random, sparse, rate), sparse, 0, 0), new IntervalCounts(Errors(random, busy, 2 * rate), busy, 0, 0)], [rate, 2 * rate], []);
                below = below.AddAgainstRates([new IntervalCounts(Errors(random, sparse, rate / 2), sparse, 0, 0), new IntervalCounts(Errors(random, busy, rate), busy, 0, 0)], [rate, 2 * rate], []);
            }

            crossed += test.Crossed ? 1 : 0;
            crossedBelow += below.Crossed ? 1 : 0;
        }

        var se = Math.Sqrt(alpha * (1 - alpha) / Runs);
        Assert.True(crossed / (double)Runs <= alpha + (3 * se), $"crossed {crossed / (double)Runs:P2} at α {alpha}");
        Assert.True(crossedBelow <= crossed, $"below the rate {crossedBelow}, at it {crossed}");
        if (requestsPerLook >= 300)
        {
            Assert.True(crossed / (double)Runs >= alpha * 0.5, $"crossed only {crossed / (double)Runs:P2} at α {alpha}");
        }
    }

    private static int Errors(Random random, int requests, double rate)
    {
        var errors = 0;
        for (var i = 0; i < requests; i++)
        {
            errors += random.NextDouble() < rate ? 1 : 0;
        }

        return errors;
    }

    private static IntervalCounts[] Strata(JsonElement look) =>
        [.. look.EnumerateArray().Select(s => new IntervalCounts(s[0].GetInt64(), s[1].GetInt64(), s[2].GetInt64(), s[3].GetInt64()))];

    private static int Poisson(Random random, double mean)
    {
        var (limit, k, p) = (Math.Exp(-mean), 0, random.NextDouble());
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }
}
