using MathNet.Numerics;

namespace Canary.Analysis.Statistics.Internal;

/// <summary>R's <c>qbeta(p, a, b)</c> by bisection on the regularised incomplete beta function, to full double precision.</summary>
internal static class BetaQuantile
{
    /// <summary>Returns x with I_x(a, b) = p, for 0 &lt; p &lt; 1 and a, b &gt; 0.</summary>
    internal static double Quantile(double p, double a, double b)
    {
        // Solve on the tail that is small, where the incomplete beta function is computed without cancellation.
        bool lower = p <= 0.5;
        double target = lower ? p : 1 - p;
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 2000; i++)
        {
            double mid = lo + ((hi - lo) / 2);
            if (mid <= lo || mid >= hi)
            {
                break;
            }

            double tail = lower
                ? SpecialFunctions.BetaRegularized(a, b, mid)
                : SpecialFunctions.BetaRegularized(b, a, 1 - mid);
            bool below = lower ? tail < target : tail > target;
            if (below)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return lo + ((hi - lo) / 2);
    }
}
