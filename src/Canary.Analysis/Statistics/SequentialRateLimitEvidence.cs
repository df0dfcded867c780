using System.Globalization;
using System.Text.Json.Serialization;
using Canary.Analysis.Internal;

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
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
public sealed record SequentialRateLimitEvidence
{
    private const int GridSize = 24;

    private readonly ValueArray<double> _logUp;
    private readonly ValueArray<double> _logDown;
    private readonly ValueArray<double> _logLr;

    /// <summary>Starts the evidence: e-value 1, no interval seen.</summary>
    /// <param name="limit">The event-rate limit p₀, in (0, 1).</param>
    /// <param name="minimumRateRatio">The smallest ratio p₁/p₀ of the prior (&gt; 1).</param>
    /// <param name="maximumRateRatio">The largest ratio p₁/p₀ of the prior (finite, &gt; <paramref name="minimumRateRatio"/>).</param>
    /// <exception cref="ArgumentException">The limit is not in (0, 1) or the ratios are not 1 &lt; minimum &lt; maximum &lt; ∞.</exception>
    public SequentialRateLimitEvidence(double limit, double minimumRateRatio, double maximumRateRatio)
        : this(limit, minimumRateRatio, maximumRateRatio, null, 1, 1)
    {
    }

    /// <summary>Restores saved evidence.</summary>
    /// <param name="limit">The event-rate limit p₀.</param>
    /// <param name="minimumRateRatio">The smallest ratio p₁/p₀ of the prior.</param>
    /// <param name="maximumRateRatio">The largest ratio p₁/p₀ of the prior.</param>
    /// <param name="logLikelihoodRatios">The log likelihood ratio of every alternative of the prior (null: none yet, all 0).</param>
    /// <param name="eValue">The current e-value.</param>
    /// <param name="maxEValue">The largest e-value so far.</param>
    /// <exception cref="ArgumentException">A setting is out of range, the log likelihood ratios do not match the prior, or an e-value is negative.</exception>
    [JsonConstructor]
    public SequentialRateLimitEvidence(double limit, double minimumRateRatio, double maximumRateRatio, IReadOnlyList<double>? logLikelihoodRatios, double eValue, double maxEValue)
    {
        if (!(limit is > 0 and < 1) || !(minimumRateRatio > 1 && maximumRateRatio > minimumRateRatio && double.IsFinite(maximumRateRatio)))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The evidence needs 0 < limit < 1 and 1 < minimum < maximum < ∞ rate ratios; they are {limit}, {minimumRateRatio} and {maximumRateRatio}."), nameof(limit));
        }

        var logLr = logLikelihoodRatios is null ? ValueArray<double>.Own(new double[GridSize]) : ValueArray<double>.From(logLikelihoodRatios);
        if (logLr.Count != GridSize || !(eValue >= 0) || !(maxEValue >= eValue))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Saved evidence needs {GridSize} log likelihood ratios and 0 ≤ e-value ≤ max e-value; it has {logLr.Count}, {eValue} and {maxEValue}."), nameof(logLikelihoodRatios));
        }

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

        (Limit, MinimumRateRatio, MaximumRateRatio, EValue, MaxEValue) = (limit, minimumRateRatio, maximumRateRatio, eValue, maxEValue);
        (_logUp, _logDown, _logLr) = (ValueArray<double>.Own(logUp), ValueArray<double>.Own(logDown), logLr);
    }

    private SequentialRateLimitEvidence(SequentialRateLimitEvidence previous, double[] logLr, double eValue)
    {
        (Limit, MinimumRateRatio, MaximumRateRatio) = (previous.Limit, previous.MinimumRateRatio, previous.MaximumRateRatio);
        (_logUp, _logDown, _logLr) = (previous._logUp, previous._logDown, ValueArray<double>.Own(logLr));
        (EValue, MaxEValue) = (eValue, Math.Max(previous.MaxEValue, eValue));
    }

    /// <summary>Gets the event-rate limit p₀.</summary>
    public double Limit { get; }

    /// <summary>Gets the smallest ratio p₁/p₀ of the prior.</summary>
    public double MinimumRateRatio { get; }

    /// <summary>Gets the largest ratio p₁/p₀ of the prior.</summary>
    public double MaximumRateRatio { get; }

    /// <summary>Gets the log likelihood ratio of every alternative of the prior, in the prior's order.</summary>
    public IReadOnlyList<double> LogLikelihoodRatios => _logLr;

    /// <summary>Gets the current e-value (1 before any trial).</summary>
    public double EValue { get; }

    /// <summary>Gets the largest e-value so far.</summary>
    public double MaxEValue { get; }

    /// <summary>Adds one interval's events and trials; an interval without trials changes nothing.</summary>
    /// <param name="events">The events in the interval, between 0 and <paramref name="trials"/>.</param>
    /// <param name="trials">The trials in the interval.</param>
    /// <returns>The evidence after the interval.</returns>
    /// <exception cref="ArgumentException">A count is negative or events exceed trials.</exception>
    public SequentialRateLimitEvidence Add(long events, long trials)
    {
        if (events < 0 || events > trials)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Counts must be non-negative with events at most trials: {events} of {trials}."), nameof(events));
        }

        if (trials <= 0)
        {
            return this;
        }

        var logLr = _logLr.Span.ToArray();
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
}
