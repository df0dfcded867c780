namespace Canary.Analysis.Analysis.Internal;

/// <summary>
/// Always-valid evidence that one version's error rate is above a fixed limit p₀, for an endpoint with nothing to compare
/// with: the average over a grid of alternatives p₁ = p₀ × ρ of the binomial likelihood ratios
/// (p₁/p₀)^errors × ((1 − p₁)/(1 − p₀))^(requests − errors). Under any rate ≤ p₀ it is a nonnegative supermartingale
/// with mean at most 1, so it crosses 1/α with probability at most α, whatever the number of looks.
/// </summary>
internal sealed class AbsoluteErrorRateEvidence
{
    private const int GridSize = 24;

    private readonly double[] _logUp;
    private readonly double[] _logDown;
    private readonly double[] _logLr = new double[GridSize];

    public AbsoluteErrorRateEvidence(double limit, double minimumRateRatio, double maximumRateRatio)
    {
        // Alternatives stay below 1 (and above the limit): at most halfway from the limit to certainty.
        var top = Math.Min(maximumRateRatio, (1 + limit) / (2 * limit));
        var bottom = Math.Min(minimumRateRatio, top);
        (_logUp, _logDown) = (new double[GridSize], new double[GridSize]);
        for (var j = 0; j < GridSize; j++)
        {
            var ratio = Math.Exp(Math.Log(bottom) + ((Math.Log(top) - Math.Log(bottom)) * j / (GridSize - 1)));
            var p1 = limit * ratio;
            _logUp[j] = Math.Log(p1 / limit);
            _logDown[j] = Math.Log((1 - p1) / (1 - limit));
        }

        Limit = limit;
    }

    /// <summary>Gets the error-rate limit p₀.</summary>
    public double Limit { get; }

    /// <summary>Gets the current e-value (1 before any request).</summary>
    public double EValue { get; private set; } = 1;

    /// <summary>Gets the largest e-value so far.</summary>
    public double MaxEValue { get; private set; } = 1;

    /// <summary>Adds one window's requests and errors.</summary>
    public void Add(long errors, long requests)
    {
        if (requests <= 0)
        {
            return;
        }

        var max = double.NegativeInfinity;
        for (var j = 0; j < GridSize; j++)
        {
            _logLr[j] += (errors * _logUp[j]) + ((requests - errors) * _logDown[j]);
            max = Math.Max(max, _logLr[j]);
        }

        var sum = 0.0;
        for (var j = 0; j < GridSize; j++)
        {
            sum += Math.Exp(_logLr[j] - max);
        }

        EValue = Math.Exp(max + Math.Log(sum / GridSize));
        MaxEValue = Math.Max(MaxEValue, EValue);
    }
}
