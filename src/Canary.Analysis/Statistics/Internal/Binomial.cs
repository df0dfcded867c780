using MathNet.Numerics;

namespace Canary.Analysis.Statistics.Internal;

/// <summary>
/// The binomial distribution as R computes it: <c>dbinom</c> by Loader's saddle-point algorithm (R's
/// <c>dbinom_raw</c>, <c>stirlerr</c>, <c>bd0</c>), so densities keep full relative accuracy for large n, and
/// <c>pbinom</c> through the regularised incomplete beta function, each tail computed directly.
/// </summary>
internal static class Binomial
{
    private const double LnTwoPi = 1.837877066409345483560659472811;
    private const double LnSqrtTwoPi = 0.918938533204672741780329736406;
    private const double DblMin = 2.2250738585072014e-308;
    private const double S0 = 1.0 / 12;
    private const double S1 = 1.0 / 360;
    private const double S2 = 1.0 / 1260;
    private const double S3 = 1.0 / 1680;
    private const double S4 = 1.0 / 1188;

    /// <summary>R's <c>sferr_halves</c>: stirlerr(n / 2) for n = 0 … 30.</summary>
    private static readonly double[] StirlingErrorHalves =
    [
        0.0,
        0.1534264097200273452913839,
        0.08106146679532725821967026,
        0.0548141210519176538961387,
        0.04134069595540929409382208,
        0.03316287351993628748511051,
        0.02767792568499833914878929,
        0.02374616365629749597133028,
        0.02079067210376509311152277,
        0.01848845053267318523077936,
        0.01664469118982119216319487,
        0.01513497322191737887351384,
        0.01387612882307074799874573,
        0.01281046524292022692425066,
        0.01189670994589177009505572,
        0.01110455975820691732663076,
        0.01041126526197209649747857,
        0.009799416126158803298390373,
        0.009255462182712732917728637,
        0.008768700134139385462955047,
        0.008330563433362871256469319,
        0.007934114564314020547249562,
        0.007573675487951840794972024,
        0.007244554301320383179546197,
        0.006942840107209529865664153,
        0.006665247032707682442356181,
        0.006408994188004207068439631,
        0.006171712263039457647534605,
        0.005951370112758847735624416,
        0.005746216513010115682026102,
        0.00555473355196280137103869,
    ];

    /// <summary>R's <c>dbinom(x, n, p, log = TRUE)</c> for integer 0 ≤ x ≤ n and 0 ≤ p ≤ 1.</summary>
    internal static double LogDensity(double x, double n, double p) => LogDensityRaw(x, n, p, 1 - p);

    /// <summary>R's <c>dbinom(x, n, p)</c>.</summary>
    internal static double Density(double x, double n, double p) => Math.Exp(LogDensity(x, n, p));

    /// <summary>R's <c>dbinom_raw(x, n, p, q, log = TRUE)</c>.</summary>
    internal static double LogDensityRaw(double x, double n, double p, double q)
    {
        if (p == 0)
        {
            return x == 0 ? 0 : double.NegativeInfinity;
        }

        if (q == 0)
        {
            return x == n ? 0 : double.NegativeInfinity;
        }

        if (x == 0)
        {
            if (n == 0)
            {
                return 0;
            }

            return p < 0.1 ? -DevianceTerm(n, n * q) - (n * p) : n * Math.Log(q);
        }

        if (x == n)
        {
            return q < 0.1 ? -DevianceTerm(n, n * p) - (n * q) : n * Math.Log(p);
        }

        if (x < 0 || x > n)
        {
            return double.NegativeInfinity;
        }

        double lc = StirlingError(n) - StirlingError(x) - StirlingError(n - x) - DevianceTerm(x, n * p) - DevianceTerm(n - x, n * q);
        double lf = LnTwoPi + Math.Log(x) + Math.Log((n - x) / n); // R: log1p(-x/n); n − x is exact
        return lc - (0.5 * lf);
    }

    /// <summary>R's <c>pbinom(x, n, p, lower.tail)</c> for integer x.</summary>
    internal static double Cdf(double x, double n, double p, bool lowerTail = true)
    {
        if (x < 0)
        {
            return lowerTail ? 0 : 1;
        }

        if (x >= n)
        {
            return lowerTail ? 1 : 0;
        }

        if (p == 0)
        {
            return lowerTail ? 1 : 0;
        }

        if (p == 1)
        {
            return lowerTail ? 0 : 1;
        }

        // P(X ≤ x) = I_{1-p}(n - x, x + 1); P(X > x) = I_p(x + 1, n - x).
        return lowerTail
            ? SpecialFunctions.BetaRegularized(n - x, x + 1, 1 - p)
            : SpecialFunctions.BetaRegularized(x + 1, n - x, p);
    }

    /// <summary>R's <c>stirlerr(n)</c> = log(n!) − log(√(2π n) (n/e)ⁿ).</summary>
    internal static double StirlingError(double n)
    {
        if (n <= 15.0)
        {
            double nn = n + n;
            if (nn == Math.Floor(nn))
            {
                return StirlingErrorHalves[(int)nn];
            }

            return SpecialFunctions.GammaLn(n + 1) - ((n + 0.5) * Math.Log(n)) + n - LnSqrtTwoPi;
        }

        double n2 = n * n;
        if (n > 500)
        {
            return (S0 - (S1 / n2)) / n;
        }

        if (n > 80)
        {
            return (S0 - ((S1 - (S2 / n2)) / n2)) / n;
        }

        if (n > 35)
        {
            return (S0 - ((S1 - ((S2 - (S3 / n2)) / n2)) / n2)) / n;
        }

        return (S0 - ((S1 - ((S2 - ((S3 - (S4 / n2)) / n2)) / n2)) / n2)) / n;
    }

    /// <summary>R's <c>bd0(x, np)</c> = x log(x / np) + np − x, computed without cancellation.</summary>
    internal static double DevianceTerm(double x, double np)
    {
        if (Math.Abs(x - np) < 0.1 * (x + np))
        {
            double v = (x - np) / (x + np);
            double s = (x - np) * v;
            if (Math.Abs(s) < DblMin)
            {
                return s;
            }

            double ej = 2 * x * v;
            v *= v;
            for (int j = 1; j < 1000; j++)
            {
                ej *= v;
                double s1 = s + (ej / ((j << 1) + 1));
                if (s1 == s)
                {
                    return s1;
                }

                s = s1;
            }
        }

        return (x * Math.Log(x / np)) + np - x;
    }
}
