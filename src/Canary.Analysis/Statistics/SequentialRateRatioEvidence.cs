using System.Text.Json.Serialization;
using Canary.Analysis.Internal;
using Canary.Analysis.Statistics.Internal;

namespace Canary.Analysis.Statistics;

/// <summary>
/// The running evidence of <see cref="SequentialProportionTest"/> that the canary's event (error) rate is a ratio ρ of the
/// baseline's, as an immutable value: <see cref="Add(IntervalCounts)"/> returns the evidence after one more interval, in O(1)
/// per look, so a check looking every minute for a day never re-reads earlier looks, and the value can be saved and restored
/// (it is serializable with System.Text.Json, and equal instances are <c>==</c>).
/// </summary>
/// <remarks>
/// <para>The e-value is the average, over 24 rate ratios spread evenly in log scale between <see cref="MinimumRateRatio"/>
/// and <see cref="MaximumRateRatio"/> (their inverses for <see cref="Alternative.Less"/>, both halves for
/// <see cref="Alternative.TwoSided"/>), of the product over the intervals of the conditional likelihood ratios
/// ρ^e_canary / (1 + s(ρ − 1))^(e_canary + e_baseline), with s the canary's share of the interval's trials. Under the null
/// hypothesis (equal rates) it is a test martingale: it reaches 1/α with probability at most α, whatever the number of looks.</para>
/// <para>Several strata (endpoints) may be added in one look (<see cref="Add(ReadOnlySpan{IntervalCounts})"/>): the product
/// over strata of their conditional likelihood ratios for a common rate ratio is itself a likelihood ratio, so the pooled
/// evidence stays exact when the canary's share of traffic differs between strata.</para>
/// </remarks>
public sealed record SequentialRateRatioEvidence : SequentialEvidence
{
    private readonly ValueArray<double> _logRatios;
    private readonly ValueArray<double> _ratios;

    /// <summary>Starts the evidence (e-value 1, no interval seen), or restores saved evidence.</summary>
    /// <param name="alternative">Which side of equal rates the evidence is for.</param>
    /// <param name="minimumRateRatio">The smallest rate ratio of the prior.</param>
    /// <param name="maximumRateRatio">The largest rate ratio of the prior.</param>
    /// <param name="logLikelihoodRatios">The log likelihood ratio of every rate ratio of the prior (null, the default: none yet, all 0).</param>
    /// <param name="eValue">The current e-value (1 to start).</param>
    /// <param name="maxEValue">The largest e-value so far (1 to start).</param>
    /// <exception cref="ArgumentException">The alternative is undefined, the ratios are not 1 &lt; minimum &lt; maximum &lt; ∞, the log likelihood ratios do not match the prior, or an e-value is negative.</exception>
    [JsonConstructor]
    public SequentialRateRatioEvidence(Alternative alternative, double minimumRateRatio, double maximumRateRatio, IReadOnlyList<double>? logLikelihoodRatios = null, double eValue = 1, double maxEValue = 1)
        : base(logLikelihoodRatios, PriorSize(alternative, minimumRateRatio, maximumRateRatio), eValue, maxEValue)
    {
        var logRatios = Grid(alternative, minimumRateRatio, maximumRateRatio);
        (Alternative, MinimumRateRatio, MaximumRateRatio) = (alternative, minimumRateRatio, maximumRateRatio);
        _logRatios = ValueArray<double>.Own(logRatios);
        _ratios = ValueArray<double>.Own([.. logRatios.Select(Math.Exp)]);
    }

    private SequentialRateRatioEvidence(SequentialRateRatioEvidence previous, double[] logLr, double eValue)
        : base(previous, logLr, eValue)
    {
        (Alternative, MinimumRateRatio, MaximumRateRatio) = (previous.Alternative, previous.MinimumRateRatio, previous.MaximumRateRatio);
        (_logRatios, _ratios) = (previous._logRatios, previous._ratios);
    }

    /// <summary>Gets which side of equal rates the evidence is for.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<Alternative>))]
    public Alternative Alternative { get; }

    /// <summary>Gets the smallest rate ratio of the prior.</summary>
    public double MinimumRateRatio { get; }

    /// <summary>Gets the largest rate ratio of the prior.</summary>
    public double MaximumRateRatio { get; }

    /// <summary>Adds one interval's counts and updates the e-value.</summary>
    /// <param name="counts">The interval's counts (increments).</param>
    /// <returns>The evidence after the interval.</returns>
    /// <exception cref="ArgumentException">A count is negative or events exceed trials.</exception>
    public SequentialRateRatioEvidence Add(IntervalCounts counts) => Add([counts]);

    /// <summary>
    /// Adds one interval's counts of several strata (endpoints, each with its own canary share) for a common rate ratio, and
    /// updates the e-value once: one look.
    /// </summary>
    /// <param name="strata">Each stratum's counts in the interval (increments); empty still counts as a look.</param>
    /// <returns>The evidence after the interval.</returns>
    /// <exception cref="ArgumentException">A count is negative or events exceed trials.</exception>
    public SequentialRateRatioEvidence Add(ReadOnlySpan<IntervalCounts> strata) => Add(strata, default, 0, default);

    /// <summary>
    /// Adds one interval's strata as <see cref="Add(ReadOnlySpan{IntervalCounts})"/> does, but with the strata flagged in
    /// <paramref name="hedged"/> (shared outages) contributing, for every rate ratio of the prior, the factor
    /// w + (1 − w) × their joint likelihood ratio instead of the ratio itself.
    /// </summary>
    /// <remarks>
    /// <para>The flags must be chosen from the strata's totals (both versions' events and trials) and earlier intervals only,
    /// never from the split between the versions: given the totals, each likelihood ratio has mean at most 1 under equal
    /// rates, so the mixture has too, and the evidence stays a test supermartingale whatever is flagged.</para>
    /// <para>Each stratum's likelihood ratio is raised to its <paramref name="exponents"/> entry (1 when the span is shorter):
    /// tempering by a dispersion φ (exponent 1/φ ≤ 1), chosen from the totals too. A ratio whose events are clusters landing
    /// whole in one version is the product over the clusters of the single-event ratio to the power of the cluster's size;
    /// with φ at least the largest cluster, each cluster's factor has an exponent at most 1, hence mean at most 1 (Jensen).</para>
    /// </remarks>
    internal SequentialRateRatioEvidence Add(ReadOnlySpan<IntervalCounts> strata, ReadOnlySpan<bool> hedged, double nullWeight, ReadOnlySpan<double> exponents = default)
    {
        var logLr = CopyOfLogLikelihoodRatios();
        var logRatios = _logRatios.Span;
        var ratios = _ratios.Span;
        var anyHedged = false;
        var hedgedLogLr = new double[logLr.Length];
        for (var i = 0; i < strata.Length; i++)
        {
            var stratum = strata[i];
            stratum.ThrowIfInvalid("counts");
            var isHedged = i < hedged.Length && hedged[i];
            anyHedged |= isHedged;
            var target = isHedged ? hedgedLogLr : logLr;
            var events = stratum.CanaryEvents + stratum.BaselineEvents;
            var trials = stratum.CanaryTrials + stratum.BaselineTrials;
            if (events > 0 && trials > 0)
            {
                var share = (double)stratum.CanaryTrials / trials;
                var exponent = i < exponents.Length ? exponents[i] : 1;
                for (var j = 0; j < logRatios.Length; j++)
                {
                    target[j] += exponent * ((stratum.CanaryEvents * logRatios[j]) - (events * Math.Log(1 + (share * (ratios[j] - 1)))));
                }
            }
        }

        if (anyHedged)
        {
            // log(w + (1 − w)·e^a), computed without overflow for large a.
            var (logW, log1MinusW) = (Math.Log(nullWeight), Math.Log(1 - nullWeight));
            for (var j = 0; j < logLr.Length; j++)
            {
                var a = log1MinusW + hedgedLogLr[j];
                logLr[j] += Math.Max(logW, a) + Math.Log(1 + Math.Exp(Math.Min(logW, a) - Math.Max(logW, a)));
            }
        }

        return new SequentialRateRatioEvidence(this, logLr, Math.Exp(LogSumExp(logLr) - Math.Log(logLr.Length)));
    }

    /// <summary>Checks the prior's settings and gives its size.</summary>
    private static int PriorSize(Alternative alternative, double minimumRateRatio, double maximumRateRatio)
    {
        if (!Enum.IsDefined(alternative))
        {
            throw new ArgumentOutOfRangeException(nameof(alternative), alternative, "Unknown alternative.");
        }

        EValueMixture.CheckRatios(minimumRateRatio, maximumRateRatio);
        return alternative == Alternative.TwoSided ? 2 * EValueMixture.GridSize : EValueMixture.GridSize;
    }

    private static double[] Grid(Alternative alternative, double minRatio, double maxRatio)
    {
        var up = new double[EValueMixture.GridSize];
        var a = Math.Log(minRatio);
        var b = Math.Log(maxRatio);
        for (var j = 0; j < EValueMixture.GridSize; j++)
        {
            up[j] = a + ((b - a) * j / (EValueMixture.GridSize - 1));
        }

        return alternative switch
        {
            Alternative.Greater => up,
            Alternative.Less => [.. up.Select(v => -v)],
            _ => [.. up, .. up.Select(v => -v)],
        };
    }

    private static double LogSumExp(double[] values)
    {
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        var sum = 0.0;
        foreach (var v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }
}
