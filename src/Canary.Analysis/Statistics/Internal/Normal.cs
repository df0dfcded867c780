using MathNet.Numerics.Distributions;

namespace Canary.Analysis.Statistics.Internal;

/// <summary>R's <c>pnorm</c> and <c>qnorm</c> for the standard normal, with accurate upper tails.</summary>
internal static class StandardNormal
{
    /// <summary>R's <c>pnorm(x, lower.tail = lowerTail)</c>.</summary>
    internal static double Cdf(double x, bool lowerTail = true) =>
        Normal.CDF(0, 1, lowerTail ? x : -x);

    /// <summary>R's <c>qnorm(p, lower.tail = lowerTail)</c>.</summary>
    internal static double Quantile(double p, bool lowerTail = true) =>
        lowerTail ? Normal.InvCDF(0, 1, p) : -Normal.InvCDF(0, 1, p);
}
