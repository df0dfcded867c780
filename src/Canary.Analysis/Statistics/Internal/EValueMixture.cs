using System.Globalization;
using Canary.Analysis.Internal;

namespace Canary.Analysis.Statistics.Internal;

/// <summary>What the e-value mixtures (<see cref="SequentialRateRatioEvidence"/>, <see cref="SequentialRateLimitEvidence"/>) share: checks of saved evidence.</summary>
internal static class EValueMixture
{
    /// <summary>The number of alternatives on each side of a mixture's prior.</summary>
    public const int GridSize = 24;

    /// <summary>Checks that the prior's rate ratios satisfy 1 &lt; minimum &lt; maximum &lt; ∞.</summary>
    /// <exception cref="ArgumentException">They do not.</exception>
    public static void CheckRatios(double minimumRateRatio, double maximumRateRatio)
    {
        if (!(minimumRateRatio > 1 && maximumRateRatio > minimumRateRatio && double.IsFinite(maximumRateRatio)))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The rate ratios must satisfy 1 < minimum < maximum < ∞; they are {minimumRateRatio} and {maximumRateRatio}."), nameof(minimumRateRatio));
        }
    }

    /// <summary>The log likelihood ratios to start from: all 0 without saved ones, else the saved ones, checked.</summary>
    /// <exception cref="ArgumentException">The saved values do not match the prior, or the e-values are not 0 ≤ e-value ≤ max e-value.</exception>
    public static ValueArray<double> LogLikelihoodRatios(IReadOnlyList<double>? logLikelihoodRatios, int count, double eValue, double maxEValue)
    {
        var logLr = logLikelihoodRatios is null ? ValueArray<double>.Own(new double[count]) : ValueArray<double>.From(logLikelihoodRatios);
        if (logLr.Count != count || !(eValue >= 0) || !(maxEValue >= eValue))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Saved evidence needs {count} log likelihood ratios and 0 ≤ e-value ≤ max e-value; it has {logLr.Count}, {eValue} and {maxEValue}."), nameof(logLikelihoodRatios));
        }

        return logLr;
    }
}
