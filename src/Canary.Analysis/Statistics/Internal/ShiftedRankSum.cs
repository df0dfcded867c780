namespace Canary.Analysis.Statistics.Internal;

/// <summary>
/// The Mann–Whitney statistic of <c>c(x − d, y)</c> as a function of the shift d, evaluated in linear time on
/// pre-sorted samples by a two-pointer merge: no pairwise differences are materialised.
/// </summary>
/// <remarks>
/// For each d it returns twice U = 2·#{x_i − d &gt; y_j} + #{x_i − d = y_j} and the tie term Σ(t³ − t) over the
/// groups of equal values of the pooled sample, exactly as R's <c>rank</c> and <c>table</c> see them: x_i − d is
/// computed in floating point as R does, so ties created by rounding count as ties.
/// Each x remembers where it fell among the y groups at the previous shift: root finders evaluate at shifts
/// that get closer and closer, so the positions barely move and the merge runs with few mispredicted branches.
/// An instance is therefore not thread-safe.
/// </remarks>
internal sealed class ShiftedRankSum
{
    private readonly double[] _x;
    private readonly double[] _yValues;
    private readonly long[] _yBelow;
    private readonly long[] _yCounts;
    private readonly long _yTies;
    private readonly int[] _hints;

    /// <summary>Creates the function for sorted samples.</summary>
    /// <param name="sortedX">The canary sample, sorted ascending, without NaN.</param>
    /// <param name="sortedY">The baseline sample, sorted ascending, without NaN.</param>
    internal ShiftedRankSum(double[] sortedX, double[] sortedY)
    {
        _x = sortedX;
        var values = new List<double>();
        var below = new List<long>();
        var counts = new List<long>();
        long ties = 0;
        int j = 0;
        while (j < sortedY.Length)
        {
            int start = j;
            double v = sortedY[j];
            while (j < sortedY.Length && sortedY[j] == v)
            {
                j++;
            }

            long t = j - start;
            values.Add(v);
            below.Add(start);
            counts.Add(t);
            ties += (t * t * t) - t;
        }

        // A sentinel group above everything keeps the merge loop free of bounds checks on k.
        values.Add(double.PositiveInfinity);
        below.Add(sortedY.Length);
        counts.Add(0);
        _yValues = values.ToArray();
        _yBelow = below.ToArray();
        _yCounts = counts.ToArray();
        _yTies = ties;
        _hints = new int[sortedX.Length];
    }

    /// <summary>Gets the canary sample size.</summary>
    internal int CountX => _x.Length;

    /// <summary>Evaluates the statistic at shift <paramref name="d"/>.</summary>
    /// <param name="d">The shift subtracted from every x.</param>
    /// <param name="twiceU">2·U, where U is R's W for <c>c(x − d, y)</c>.</param>
    /// <param name="tieSum">Σ(t³ − t) over the tie groups of the pooled sample.</param>
    internal void Evaluate(double d, out long twiceU, out long tieSum)
    {
        double[] x = _x;
        double[] yValues = _yValues;
        long[] yBelow = _yBelow;
        long[] yCounts = _yCounts;
        int[] hints = _hints;
        int nx = x.Length;
        int groups = yValues.Length - 1;
        long u2 = 0;
        long ties = _yTies;
        int i = 0;
        int lowest = 0;
        while (i < nx)
        {
            // x_i − d is non-decreasing in i, so its group index k never falls below the previous one (lowest).
            // Start from the hint; when the hint overshoots, restart from lowest. Either way the upward walk is
            // bounded by the classic merge's, so an evaluation is O(nx + ny) and usually far less branchy.
            double v = x[i] - d;
            int k = Math.Max(hints[i], lowest);
            if (k > lowest && yValues[k - 1] >= v)
            {
                k = lowest;
            }

            while (yValues[k] < v)
            {
                k++;
            }

            hints[i] = k;
            lowest = k;
            i++;

            long a = 1;
            while (i < nx && x[i] - d == v)
            {
                a++;
                i++;
            }

            if (k < groups && yValues[k] == v)
            {
                long b = yCounts[k];
                u2 += a * ((2 * yBelow[k]) + b);
                long t = a + b;
                ties += (t * t * t) - t - ((b * b * b) - b);
            }
            else
            {
                u2 += a * 2 * yBelow[k];
                ties += (a * a * a) - a;
            }
        }

        twiceU = u2;
        tieSum = ties;
    }
}
