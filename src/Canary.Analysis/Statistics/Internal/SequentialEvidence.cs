namespace Canary.Analysis.Statistics.Internal;

/// <summary>
/// The running mixture likelihood ratio of <see cref="SequentialProportionTest"/>, updated one interval at a time, so a
/// check that looks every minute for a day pays O(1) per look instead of re-reading every earlier look.
/// </summary>
internal sealed class SequentialEvidence
{
    private const int GridSize = 24;

    private readonly double[] _logRatios;
    private readonly double[] _ratios;
    private readonly double[] _logLr;
    private readonly double _logWeight;

    public SequentialEvidence(Alternative alternative, double minimumRateRatio, double maximumRateRatio)
    {
        _logRatios = Grid(alternative, minimumRateRatio, maximumRateRatio);
        _ratios = [.. _logRatios.Select(Math.Exp)];
        _logLr = new double[_logRatios.Length];
        _logWeight = -Math.Log(_logRatios.Length);
    }

    /// <summary>Gets the current e-value (1 before any event).</summary>
    public double EValue { get; private set; } = 1;

    /// <summary>Gets the largest e-value so far.</summary>
    public double MaxEValue { get; private set; } = 1;

    /// <summary>Adds one interval's counts (increments, not cumulative values) and updates the e-value.</summary>
    public void Add(long canaryEvents, long canaryTrials, long baselineEvents, long baselineTrials)
    {
        Accumulate(canaryEvents, canaryTrials, baselineEvents, baselineTrials);
        Update();
    }

    /// <summary>
    /// Adds one stratum's counts for the current interval without updating the e-value. A pooled test calls this once per
    /// endpoint of an interval, each endpoint with its own canary share, then <see cref="Update"/> once: the product over
    /// endpoints of their conditional likelihood ratios for a common rate ratio is itself a likelihood ratio, so the pooled
    /// evidence stays exact when the canary's share of traffic differs between endpoints.
    /// </summary>
    public void Accumulate(long canaryEvents, long canaryTrials, long baselineEvents, long baselineTrials)
    {
        var events = canaryEvents + baselineEvents;
        var trials = canaryTrials + baselineTrials;
        if (events > 0 && trials > 0)
        {
            var share = (double)canaryTrials / trials;
            for (var j = 0; j < _logRatios.Length; j++)
            {
                _logLr[j] += (canaryEvents * _logRatios[j]) - (events * Math.Log(1 + (share * (_ratios[j] - 1))));
            }
        }
    }

    /// <summary>Recomputes the e-value after the strata of one interval were accumulated (a look).</summary>
    public void Update()
    {
        EValue = Math.Exp(LogSumExp(_logLr) + _logWeight);
        MaxEValue = Math.Max(MaxEValue, EValue);
    }

    private static double[] Grid(Alternative alternative, double minRatio, double maxRatio)
    {
        var up = new double[GridSize];
        var a = Math.Log(minRatio);
        var b = Math.Log(maxRatio);
        for (var j = 0; j < GridSize; j++)
        {
            up[j] = a + ((b - a) * j / (GridSize - 1));
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
