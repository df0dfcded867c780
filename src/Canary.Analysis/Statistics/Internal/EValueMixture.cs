using System.Globalization;

namespace Canary.Analysis.Statistics.Internal;

/// <summary>What the e-value mixtures (<see cref="SequentialRateRatioEvidence"/>, <see cref="SequentialRateLimitEvidence"/>) share: the prior's size and checks.</summary>
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
}
