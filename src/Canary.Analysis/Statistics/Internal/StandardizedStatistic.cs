namespace Canary.Analysis.Statistics.Internal;

/// <summary>R's standardised rank-sum statistic (dz − correction) / σ with the tie-corrected σ, computed in R's operation order.</summary>
internal readonly struct StandardizedStatistic
{
    private readonly double _nx;
    private readonly double _ny;
    private readonly long _pairs;
    private readonly Alternative _alternative;

    internal StandardizedStatistic(int nx, int ny, Alternative alternative)
    {
        _nx = nx;
        _ny = ny;
        _pairs = (long)nx * ny;
        _alternative = alternative;
    }

    /// <summary>Returns (dz − correction) / σ for 2·U = <paramref name="twiceU"/> and tie term <paramref name="tieSum"/>.</summary>
    internal double Value(long twiceU, long tieSum, bool corrected)
    {
        // dz = sum(ranks of x) − nx(nx + 1)/2 − nx·ny/2 = U − nx·ny/2, exact in binary floating point.
        double dz = (twiceU - _pairs) / 2.0;
        double correction = 0;
        if (corrected)
        {
            correction = _alternative switch
            {
                Alternative.Greater => 0.5,
                Alternative.Less => -0.5,
                _ => Math.Sign(dz) * 0.5,
            };
        }

        double nx = _nx;
        double ny = _ny;
        double sigma = Math.Sqrt((nx * ny / 12) * ((nx + ny + 1) - (tieSum / ((nx + ny) * (nx + ny - 1)))));
        return (dz - correction) / sigma;
    }
}
