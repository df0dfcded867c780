using System.Text.Json.Serialization;
using Canary.Analysis.Internal;
using Canary.Analysis.Statistics.Internal;

namespace Canary.Analysis.Statistics;

/// <summary>
/// Always-valid evidence that one version's event (error) rate is above a fixed limit p₀, for a version with nothing to
/// compare with (a canary-only route), as an immutable value: <see cref="Add"/> returns the evidence after one more interval.
/// </summary>
/// <remarks>
/// The e-value is the average over 24 alternatives p₁ = p₀ × ρ (ρ spread evenly in log scale between the minimum and maximum
/// rate ratio, and p₁ at most halfway from p₀ to certainty) of the binomial likelihood ratios
/// (p₁/p₀)^events × ((1 − p₁)/(1 − p₀))^(trials − events). Under any rate ≤ p₀ it is a nonnegative supermartingale with mean
/// at most 1, so it reaches 1/α with probability at most α, whatever the number of looks.
/// </remarks>
public sealed record SequentialRateLimitEvidence : SequentialEvidence
{
    private const int GridSize = EValueMixture.GridSize;

    private readonly ValueArray<double> _logUp;
    private readonly ValueArray<double> _logDown;

    /// <summary>Starts the evidence (e-value 1, no interval seen), or restores saved evidence.</summary>
    /// <param name="limit">The event-rate limit p₀.</param>
    /// <param name="minimumRateRatio">The smallest ratio p₁/p₀ of the prior.</param>
    /// <param name="maximumRateRatio">The largest ratio p₁/p₀ of the prior.</param>
    /// <param name="logLikelihoodRatios">The log likelihood ratio of every alternative of the prior (null, the default: none yet, all 0).</param>
    /// <param name="eValue">The current e-value (1 to start).</param>
    /// <param name="maxEValue">The largest e-value so far (1 to start).</param>
    /// <exception cref="ArgumentException">A setting is out of range, the log likelihood ratios do not match the prior, or an e-value is negative.</exception>
    [JsonConstructor]
    public SequentialRateLimitEvidence(double limit, double minimumRateRatio, double maximumRateRatio, IReadOnlyList<double>? logLikelihoodRatios = null, double eValue = 1, double maxEValue = 1)
        : base(logLikelihoodRatios, PriorSize(limit, minimumRateRatio, maximumRateRatio), eValue, maxEValue)
    {
        // Alternatives stay below 1 (and above the limit): at most halfway from the limit to certainty.
        var top = Math.Min(maximumRateRatio, (1 + limit) / (2 * limit));
        var bottom = Math.Min(minimumRateRatio, top);
        var (logUp, logDown) = (new double[GridSize], new double[GridSize]);
        for (var j = 0; j < GridSize; j++)
        {
            var ratio = Math.Exp(Math.Log(bottom) + ((Math.Log(top) - Math.Log(bottom)) * j / (GridSize - 1)));
            var p1 = limit * ratio;
            logUp[j] = Math.Log(p1 / limit);
            logDown[j] = Math.Log((1 - p1) / (1 - limit));
        }

        (Limit, MinimumRateRatio, MaximumRateRatio) = (limit, minimumRateRatio, maximumRateRatio);
        (_logUp, _logDown) = (ValueArray<double>.Own(logUp), ValueArray<double>.Own(logDown));
    }

    private SequentialRateLimitEvidence(SequentialRateLimitEvidence previous, double[] logLr, double eValue)
        : base(previous, logLr, eValue)
    {
        (Limit, MinimumRateRatio, MaximumRateRatio) = (previous.Limit, previous.MinimumRateRatio, previous.MaximumRateRatio);
        (_logUp, _logDown) = (previous._logUp, previous._logDown);
    }

    /// <summary>Gets the event-rate limit p₀.</summary>
    public double Limit { get; }

    /// <summary>Gets the smallest ratio p₁/p₀ of the prior.</summary>
    public double MinimumRateRatio { get; }

    /// <summary>Gets the largest ratio p₁/p₀ of the prior.</summary>
    public double MaximumRateRatio { get; }

    /// <summary>Adds one interval's events and trials; an interval without trials changes nothing.</summary>
    /// <param name="events">The events in the interval, between 0 and <paramref name="trials"/>.</param>
    /// <param name="trials">The trials in the interval.</param>
    /// <returns>The evidence after the interval.</returns>
    /// <exception cref="ArgumentException">A count is negative or events exceed trials.</exception>
    public SequentialRateLimitEvidence Add(long events, long trials)
    {
        if (events < 0 || events > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(events), events, "Events must be between 0 and the trials.");
        }

        if (trials <= 0)
        {
            return this;
        }

        var logLr = CopyOfLogLikelihoodRatios();
        var logUp = _logUp.Span;
        var logDown = _logDown.Span;
        var max = double.NegativeInfinity;
        for (var j = 0; j < GridSize; j++)
        {
            logLr[j] += (events * logUp[j]) + ((trials - events) * logDown[j]);
            max = Math.Max(max, logLr[j]);
        }

        var sum = 0.0;
        for (var j = 0; j < GridSize; j++)
        {
            sum += Math.Exp(logLr[j] - max);
        }

        return new SequentialRateLimitEvidence(this, logLr, Math.Exp(max + Math.Log(sum / GridSize)));
    }

    /// <summary>Checks the prior's settings and gives its size.</summary>
    private static int PriorSize(double limit, double minimumRateRatio, double maximumRateRatio)
    {
        if (!(limit is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must be in (0, 1).");
        }

        EValueMixture.CheckRatios(minimumRateRatio, maximumRateRatio);
        return GridSize;
    }
}
