namespace Canary.Analysis.Statistics.Internal;

/// <summary>
/// A line-by-line port of R's <c>uniroot</c> (R 4.2) and of the Brent–Dekker <c>R_zeroin2</c> in
/// <c>src/library/stats/src/zeroin.c</c>, so that roots found here are the same iterates R returns.
/// </summary>
internal static class RootFinder
{
    /// <summary>C's <c>DBL_EPSILON</c> (not <see cref="double.Epsilon"/>).</summary>
    internal const double DblEpsilon = 2.220446049250313e-16;

    /// <summary>R's default <c>uniroot</c> tolerance, <c>.Machine$double.eps^0.25</c>.</summary>
    internal static readonly double DefaultTolerance = Math.Pow(DblEpsilon, 0.25);

    /// <summary>R's <c>uniroot</c>: returns the root, or NaN where R stops with an error.</summary>
    internal static double Uniroot(
        Func<double, double> f,
        double lower,
        double upper,
        double tol,
        ExtendInterval extend = ExtendInterval.No,
        int maxIterations = 1000)
    {
        double fLower = f(lower);
        double fUpper = f(upper);
        return Uniroot(f, lower, upper, fLower, fUpper, tol, extend, maxIterations);
    }

    /// <summary>R's <c>uniroot</c> with known end-point values: returns the root, or NaN where R stops with an error.</summary>
    internal static double Uniroot(
        Func<double, double> f,
        double lower,
        double upper,
        double fLower,
        double fUpper,
        double tol,
        ExtendInterval extend = ExtendInterval.No,
        int maxIterations = 1000)
    {
        if (!(lower < upper) || double.IsNaN(fLower) || double.IsNaN(fUpper))
        {
            return double.NaN;
        }

        double fLow = Truncate(fLower);
        double fUpp = Truncate(fUpper);
        bool doX = extend switch
        {
            ExtendInterval.Yes => fLow * fUpp > 0,
            ExtendInterval.UpX => fLow > 0 || fUpp < 0,
            _ => false,
        };

        if (doX)
        {
            int it = 0;
            if (extend == ExtendInterval.Yes)
            {
                double deltaLower = Delta(lower);
                double deltaUpper = Delta(upper);
                while (fLower * fUpper > 0 && (double.IsFinite(lower) || double.IsFinite(upper)))
                {
                    bool lowerFinite = double.IsFinite(lower);
                    bool upperFinite = double.IsFinite(upper);
                    if (++it > maxIterations)
                    {
                        return double.NaN;
                    }

                    if (lowerFinite)
                    {
                        double ol = lower;
                        double of = fLower;
                        lower -= deltaLower;
                        fLower = f(lower);
                        if (double.IsNaN(fLower))
                        {
                            lower = ol;
                            fLower = of;
                            deltaLower /= 4;
                        }
                    }

                    if (upperFinite)
                    {
                        double ou = upper;
                        double of = fUpper;
                        upper += deltaUpper;
                        fUpper = f(upper);
                        if (double.IsNaN(fUpper))
                        {
                            upper = ou;
                            fUpper = of;
                            deltaUpper /= 4;
                        }
                    }

                    deltaLower *= 2;
                    deltaUpper *= 2;
                }
            }
            else
            {
                double delta = Delta(lower);
                while (fLower > 0)
                {
                    if (++it > maxIterations)
                    {
                        return double.NaN;
                    }

                    lower -= delta;
                    fLower = f(lower);
                    delta *= 2;
                }

                delta = Delta(upper);
                while (fUpper < 0)
                {
                    if (++it > maxIterations)
                    {
                        return double.NaN;
                    }

                    upper += delta;
                    fUpper = f(upper);
                    delta *= 2;
                }
            }
        }

        // R: if (!isTRUE(sign(f.lower) * sign(f.upper) <= 0)) stop(...)
        if (double.IsNaN(fLower) || double.IsNaN(fUpper) || Math.Sign(fLower) * Math.Sign(fUpper) > 0)
        {
            return double.NaN;
        }

        return Zeroin(f, lower, upper, fLower, fUpper, tol, maxIterations);
    }

    /// <summary>R's <c>R_zeroin2</c>: Brent's root finder on [ax, bx] with f(ax) = fa and f(bx) = fb of opposite signs.</summary>
    internal static double Zeroin(Func<double, double> f, double ax, double bx, double fa, double fb, double tol, int maxIterations = 1000)
    {
        double a = ax;
        double b = bx;
        double c = a;
        double fc = fa;
        int maxit = maxIterations + 1;

        if (fa == 0.0)
        {
            return a;
        }

        if (fb == 0.0)
        {
            return b;
        }

        while (maxit-- > 0)
        {
            double prevStep = b - a;

            if (Math.Abs(fc) < Math.Abs(fb))
            {
                a = b;
                b = c;
                c = a;
                fa = fb;
                fb = fc;
                fc = fa;
            }

            double tolAct = (2 * DblEpsilon * Math.Abs(b)) + (tol / 2);
            double newStep = (c - b) / 2;

            if (Math.Abs(newStep) <= tolAct || fb == 0.0)
            {
                return b;
            }

            if (Math.Abs(prevStep) >= tolAct && Math.Abs(fa) > Math.Abs(fb))
            {
                double p;
                double q;
                double cb = c - b;
                if (a == c)
                {
                    double t1 = fb / fa;
                    p = cb * t1;
                    q = 1.0 - t1;
                }
                else
                {
                    q = fa / fc;
                    double t1 = fb / fc;
                    double t2 = fb / fa;
                    p = t2 * ((cb * q * (q - t1)) - ((b - a) * (t1 - 1.0)));
                    q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0);
                }

                if (p > 0)
                {
                    q = -q;
                }
                else
                {
                    p = -p;
                }

                if (p < ((0.75 * cb * q) - (Math.Abs(tolAct * q) / 2)) && p < Math.Abs(prevStep * q / 2))
                {
                    newStep = p / q;
                }
            }

            if (Math.Abs(newStep) < tolAct)
            {
                newStep = newStep > 0 ? tolAct : -tolAct;
            }

            a = b;
            fa = fb;
            b += newStep;
            fb = f(b);
            if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0))
            {
                c = a;
                fc = fa;
            }
        }

        return b;
    }

    private static double Delta(double u) => 0.01 * Math.Max(1e-4, Math.Abs(u));

    private static double Truncate(double x) => Math.Max(Math.Min(x, double.MaxValue), -double.MaxValue);
}
