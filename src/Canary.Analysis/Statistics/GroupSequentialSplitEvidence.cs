using System.Globalization;
using System.Text.Json.Serialization;
using Canary.Analysis.Internal;
using Canary.Analysis.Statistics.Internal;

namespace Canary.Analysis.Statistics;

/// <summary>
/// An exact group-sequential test that the canary takes more than its share of the events (errors), conditional on each look's
/// totals, spending α over a planned number of looks (α (k / K)^ρ by look k), as an immutable value: <see cref="Add(ReadOnlySpan{IntervalCounts})"/> returns the test after
/// one more look. Where an e-value boundary 1/α spends only a few percent of α in a short step, this test spends all of its
/// α within its looks, so a short fail-fast step catches more.
/// </summary>
/// <remarks>
/// <para>The statistic is X, the canary's events summed over the looks and strata. Given a look's totals (each stratum's events
/// of both versions together, e, and the canary's share of its trials, s), the canary's events are, under equal rates, a sum of
/// independent Binomial(e, s), independent of earlier looks. So the distribution of X on the paths that have not yet crossed is
/// computed exactly, look by look, by convolution (<see cref="NullDistribution"/>). At look k the critical value is the smallest
/// c with P(X_k ≥ c, not crossed before) ≤ α (k / K)^ρ − (α spent before), and the test crosses when X_k ≥ c: the probability of
/// ever crossing under equal rates is at most α, whatever the totals (the critical values are discrete, so a little less is
/// spent). After <see cref="Looks"/> looks it is closed and spends nothing more.</para>
/// <para>A look's strata may be left out (added empty) when the choice depends only on their totals and earlier looks (a shared
/// outage): the conditional argument holds for any such choice. Probability mass below 10⁻¹⁵ at the low end of the distribution
/// is dropped to keep it short, which may understate what was spent by at most that much per look.</para>
/// </remarks>
public sealed record GroupSequentialSplitEvidence
{
    private const double DroppedMass = 1e-15;

    private readonly ValueArray<double> _nullDistribution;

    /// <summary>Starts the test (no look yet), or restores a saved one.</summary>
    /// <param name="alpha">The α it spends over its looks, in (0, 1).</param>
    /// <param name="looks">The planned number of looks K, at least 1.</param>
    /// <param name="look">The looks taken so far (0 to start).</param>
    /// <param name="canaryEvents">The canary's events so far, X (fractional when windows were tempered).</param>
    /// <param name="spent">The α spent so far.</param>
    /// <param name="offset">The value of X that the first entry of <paramref name="nullDistribution"/> stands for.</param>
    /// <param name="nullDistribution">P(X = offset + i, not crossed) under equal rates (null, the default: the start, X = 0 for sure).</param>
    /// <param name="criticalValue">The critical value of the latest look (null before the first).</param>
    /// <param name="crossed">Whether the test has crossed.</param>
    /// <param name="spendingExponent">The shape ρ of the spending: α (k / K)^ρ may be spent by look k; 1 (the default) spends linearly, more keeps α for later looks.</param>
    /// <exception cref="ArgumentException">A setting is out of range or the saved values do not fit together.</exception>
    [JsonConstructor]
    public GroupSequentialSplitEvidence(double alpha, int looks, int look = 0, double canaryEvents = 0, double spent = 0, long offset = 0, IReadOnlyList<double>? nullDistribution = null, long? criticalValue = null, bool crossed = false, double spendingExponent = 1)
    {
        _nullDistribution = nullDistribution is null ? ValueArray<double>.Own([1.0]) : ValueArray<double>.From(nullDistribution);
        var mass = 0.0;
        foreach (var p in _nullDistribution.Span)
        {
            mass += p is >= 0 and <= 1 ? p : double.NaN;
        }

        if (!(alpha is > 0 and < 1) || looks < 1 || look < 0 || look > looks || !(canaryEvents >= 0 && canaryEvents <= 1L << 53) || offset < 0
            || !(spendingExponent is > 0 and <= 10) || !(spent >= 0 && spent <= SpendingBound(alpha, look, looks, spendingExponent) + 1e-12) || !(mass <= 1 + 1e-9) || _nullDistribution.Count == 0
            || (look == 0 && (spent != 0 || canaryEvents != 0 || criticalValue is not null || crossed)) || criticalValue < offset)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"A group-sequential split test needs 0 < α < 1, 1 ≤ looks, 0 ≤ look ≤ looks, 0 < spending exponent ρ ≤ 10, α spent ≤ α × (look / looks)^ρ and a distribution of non-negative mass ≤ 1; it has α {alpha}, looks {looks}, look {look}, ρ {spendingExponent}, spent {spent}, mass {mass}."),
                nameof(nullDistribution));
        }

        (Alpha, Looks, Look, CanaryEvents, Spent, Offset, CriticalValue, Crossed, SpendingExponent) = (alpha, looks, look, canaryEvents, spent, offset, criticalValue, crossed, spendingExponent);
    }

    /// <summary>Gets the α the test spends over its looks.</summary>
    public double Alpha { get; }

    /// <summary>Gets the planned number of looks K.</summary>
    public int Looks { get; }

    /// <summary>Gets the looks taken so far.</summary>
    public int Look { get; }

    /// <summary>Gets the canary's events so far, X.</summary>
    public double CanaryEvents { get; }

    /// <summary>
    /// Gets the shape ρ of the spending: by look k at most α (k / K)^ρ is spent. 1 spends linearly; 2 or 3 keep more α for the
    /// last looks, which catches small regressions more often by the end of the step and large ones a look or two later.
    /// </summary>
    public double SpendingExponent { get; }

    /// <summary>Gets the α spent so far (at most α (<see cref="Look"/> / <see cref="Looks"/>)^<see cref="SpendingExponent"/>).</summary>
    public double Spent { get; }

    /// <summary>Gets the value of X that the first entry of <see cref="NullDistribution"/> stands for.</summary>
    public long Offset { get; }

    /// <summary>Gets P(X = <see cref="Offset"/> + i, not crossed) under equal rates.</summary>
    public IReadOnlyList<double> NullDistribution => _nullDistribution;

    /// <summary>Gets the critical value of the latest look: the test crosses when X reaches it (null before the first look).</summary>
    public long? CriticalValue { get; }

    /// <summary>Gets a value indicating whether the test has crossed (the canary takes more than its share of the events).</summary>
    public bool Crossed { get; }

    /// <summary>Gets a value indicating whether the test is over: crossed, or all its looks taken.</summary>
    [JsonIgnore]
    public bool IsClosed => Crossed || Look >= Looks;

    /// <summary>Adds one look's counts, one entry per stratum (endpoint), and decides whether the test crosses at this look.</summary>
    /// <param name="strata">Each stratum's counts in the look (increments); empty still counts as a look.</param>
    /// <returns>The test after the look; itself once <see cref="IsClosed"/>.</returns>
    /// <exception cref="ArgumentException">A count is negative or events exceed trials.</exception>
    public GroupSequentialSplitEvidence Add(ReadOnlySpan<IntervalCounts> strata) => Add(strata, default);

    /// <summary>
    /// Adds one look as <see cref="Add(ReadOnlySpan{IntervalCounts})"/> does, but counting in X only c × exponent of a
    /// stratum's c canary events (exponent 1/φ ≤ 1, φ chosen from the totals alone; missing entries are 1), against the same
    /// null distribution: valid when the events arrive in clusters of at most φ that land whole in one version.
    /// </summary>
    /// <remarks>
    /// With clusters of at most φ events landing whole, c/φ ≤ the canary's clusters, which are, under equal rates and given the
    /// totals, Binomial(clusters, s) with clusters ≤ e: stochastically below Binomial(e, s). So the sum of c/φ over the looks can
    /// be coupled below a path of the (integer) null distribution the critical values are computed on; it reaches a critical
    /// value only when that path does, so it crosses no more often.
    /// </remarks>
    internal GroupSequentialSplitEvidence Add(ReadOnlySpan<IntervalCounts> strata, ReadOnlySpan<double> exponents) =>
        AddLook(strata, exponents, (stratum, _) => stratum.CanaryEvents + stratum.BaselineEvents is var events and > 0
            ? (events, (double)stratum.CanaryTrials / (stratum.CanaryTrials + stratum.BaselineTrials))
            : null);

    /// <summary>
    /// Adds one look of a one-sample test instead: the canary's events of each stratum against a known rate (its null rate,
    /// e.g. a bound on the baseline's historical rate), X counting c × exponent of a stratum's c canary events. Under a canary
    /// rate at most the stratum's rate, given the canary's trials, its events are stochastically at most Binomial(trials, rate),
    /// independent of earlier looks, so the same critical values bound the probability of ever crossing by α — provided which
    /// strata are added and their exponents are chosen from data independent of the canary's events (its trials, the
    /// baseline's counts, the history). Clusters of at most 1/exponent events: c × exponent ≤ the canary's clusters, at most
    /// Binomial(trials, rate) (fewer trials at the same rate), the coupling of <see cref="Add(ReadOnlySpan{IntervalCounts}, ReadOnlySpan{double})"/>.
    /// </summary>
    /// <param name="strata">Each stratum's canary events and trials in the look (the baseline's counts are not read).</param>
    /// <param name="rates">Each stratum's null rate, in (0, 1).</param>
    /// <param name="exponents">Each stratum's exponent 1/φ ≤ 1 (missing entries are 1).</param>
    internal GroupSequentialSplitEvidence AddAgainstRates(ReadOnlySpan<IntervalCounts> strata, ReadOnlySpan<double> rates, ReadOnlySpan<double> exponents)
    {
        foreach (var rate in rates)
        {
            if (!(rate is > 0 and < 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A null rate must be in (0, 1), not {rate}."), nameof(rates));
            }
        }

        var known = rates.ToArray();
        return AddLook(strata, exponents, (stratum, i) => stratum.CanaryTrials > 0 ? (stratum.CanaryTrials, known[i]) : null);
    }

    /// <summary>
    /// One look: each stratum's binomial under the null (none: the stratum adds nothing) and c × exponent of its canary events
    /// (c when the exponent is missing or 1) added to X; then <see cref="Advance"/>.
    /// </summary>
    private GroupSequentialSplitEvidence AddLook(ReadOnlySpan<IntervalCounts> strata, ReadOnlySpan<double> exponents, Func<IntervalCounts, int, (long Trials, double Probability)?> nullBinomial)
    {
        if (IsClosed)
        {
            return this;
        }

        var binomials = new List<(long Trials, double Probability)>(strata.Length);
        var counted = 0.0;
        for (var i = 0; i < strata.Length; i++)
        {
            var stratum = strata[i];
            stratum.ThrowIfInvalid(nameof(strata));
            if (nullBinomial(stratum, i) is { } binomial)
            {
                counted += i < exponents.Length && exponents[i] < 1 ? stratum.CanaryEvents * exponents[i] : stratum.CanaryEvents;
                binomials.Add(binomial);
            }
        }

        return Advance(binomials, counted);
    }

    /// <summary>One look: the null distribution convolved with the look's binomials, X increased, the look's critical value.</summary>
    private GroupSequentialSplitEvidence Advance(List<(long Trials, double Probability)> binomials, double counted)
    {
        var (distribution, offset) = (_nullDistribution.Span.ToArray(), Offset);
        foreach (var (trials, probability) in binomials)
        {
            var (lowest, pmf) = SplitDistribution(trials, probability);
            distribution = Convolve(distribution, pmf);
            offset += lowest;
            (distribution, offset) = DropLowTail(distribution, offset);
        }

        var canaryEvents = CanaryEvents + counted;

        // The budget of this look, and the smallest critical value the surviving paths can afford.
        var look = Look + 1;
        var allowed = SpendingBound(Alpha, look, Looks, SpendingExponent);
        var budget = allowed - Spent;
        var (cut, tail) = (distribution.Length, 0.0);
        for (var i = distribution.Length - 1; i >= 0 && tail + distribution[i] <= budget; i--)
        {
            tail += distribution[i];
            cut = i;
        }

        var critical = offset + cut;
        return new GroupSequentialSplitEvidence(Alpha, Looks, look, canaryEvents, Math.Min(Spent + tail, allowed), offset,
            cut == 0 ? [0.0] : distribution[..cut], critical, canaryEvents >= critical, SpendingExponent);
    }

    /// <summary>The α that may be spent by look k of K: α (k / K)^ρ (exactly α k / K for ρ = 1, as saved states were checked).</summary>
    private static double SpendingBound(double alpha, int look, int looks, double exponent) =>
        exponent == 1 ? alpha * look / looks : alpha * Math.Pow((double)look / looks, exponent);

    /// <summary>The distribution of a Binomial(n, p) over the range holding all but a negligible mass: its lowest value and densities.</summary>
    private static (long Lowest, double[] Pmf) SplitDistribution(long n, double p)
    {
        if (p <= 0 || p >= 1)
        {
            return (p >= 1 ? n : 0, [1.0]);
        }

        var mean = n * p;
        var reach = (12 * Math.Sqrt(mean * (1 - p))) + 12;
        var low = (long)Math.Max(0, Math.Floor(mean - reach));
        var high = (long)Math.Min(n, Math.Ceiling(mean + reach));
        var pmf = new double[high - low + 1];
        for (var k = low; k <= high; k++)
        {
            pmf[k - low] = Binomial.Density(k, n, p);
        }

        return (low, pmf);
    }

    private static double[] Convolve(double[] a, double[] b)
    {
        var result = new double[a.Length + b.Length - 1];
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == 0)
            {
                continue;
            }

            for (var j = 0; j < b.Length; j++)
            {
                result[i + j] += a[i] * b[j];
            }
        }

        return result;
    }

    private static (double[] Distribution, long Offset) DropLowTail(double[] distribution, long offset)
    {
        var (start, dropped) = (0, 0.0);
        while (start < distribution.Length - 1 && dropped + distribution[start] < DroppedMass)
        {
            dropped += distribution[start];
            start++;
        }

        return start == 0 ? (distribution, offset) : (distribution[start..], offset + start);
    }
}
