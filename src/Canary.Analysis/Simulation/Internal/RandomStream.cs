namespace Canary.Analysis.Simulation.Internal;

/// <summary>
/// A small, fast, seeded pseudo-random stream (SplitMix64) with exact samplers for small means and normal
/// approximations for large ones. One stream is created per simulated bucket from the run's seed and the bucket's
/// index, so a bucket's data never depends on which queries came before it.
/// </summary>
internal struct RandomStream
{
    /// <summary>Above this mean, Poisson and binomial counts use the normal approximation (rounded, clamped).</summary>
    internal const double ExactLimit = 30;

    private ulong _state;

    internal RandomStream(int seed, long index, ulong salt)
    {
        _state = Mix(Mix(unchecked((ulong)seed) ^ salt) + unchecked((ulong)index));
    }

    /// <summary>Mixes a seed and a run number into a well-spread derived seed.</summary>
    internal static int Derive(int seed, int index) =>
        unchecked((int)(Mix(Mix(unchecked((ulong)seed)) + unchecked((ulong)index) + 0x9E3779B97F4A7C15UL) >> 33));

    /// <summary>A uniform double in [0, 1).</summary>
    internal double NextDouble()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return (Mix(_state) >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>A standard normal variate (Box–Muller).</summary>
    internal double NextNormal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Poisson(mean): Knuth's product method below <see cref="ExactLimit"/>, else the normal approximation.</summary>
    internal long Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean >= ExactLimit)
        {
            return Math.Max(0, (long)Math.Round(mean + (Math.Sqrt(mean) * NextNormal())));
        }

        var limit = Math.Exp(-mean);
        long k = 0;
        var product = NextDouble();
        while (product > limit)
        {
            k++;
            product *= NextDouble();
        }

        return k;
    }

    /// <summary>
    /// Binomial(n, p): exact inversion (recurrence on the probability mass) while n·min(p, 1−p) is below
    /// <see cref="ExactLimit"/>, else the normal approximation (rounded, clamped to [0, n]).
    /// </summary>
    internal long Binomial(long n, double p)
    {
        if (n <= 0 || p <= 0)
        {
            return 0;
        }

        if (p >= 1)
        {
            return n;
        }

        if (p > 0.5)
        {
            return n - Binomial(n, 1 - p);
        }

        var mean = n * p;
        if (mean >= ExactLimit)
        {
            var sd = Math.Sqrt(mean * (1 - p));
            return Math.Clamp((long)Math.Round(mean + (sd * NextNormal())), 0, n);
        }

        var u = NextDouble();
        var q = 1 - p;
        var mass = Math.Pow(q, n);
        var ratio = p / q;
        long k = 0;
        while (u > mass && k < n)
        {
            u -= mass;
            mass *= (n - k) / (double)(k + 1) * ratio;
            k++;
            if (mass <= 0)
            {
                break;
            }
        }

        return k;
    }

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
