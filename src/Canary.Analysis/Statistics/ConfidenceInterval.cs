using System.Globalization;

namespace Canary.Analysis.Statistics;

/// <summary>A confidence interval for a parameter, with the confidence level it achieves.</summary>
/// <remarks>
/// One-sided intervals are open on one side: <see cref="Lower"/> is <see cref="double.NegativeInfinity"/>
/// for <see cref="Alternative.Less"/> and <see cref="Upper"/> is <see cref="double.PositiveInfinity"/>
/// for <see cref="Alternative.Greater"/>. Always use the constructor; the default value is an empty
/// interval at level 0.
/// </remarks>
public readonly struct ConfidenceInterval : IEquatable<ConfidenceInterval>
{
    /// <summary>Creates an interval.</summary>
    /// <param name="lower">The lower bound (may be <see cref="double.NegativeInfinity"/>).</param>
    /// <param name="upper">The upper bound (may be <see cref="double.PositiveInfinity"/>).</param>
    /// <param name="level">The confidence level, between 0 and 1.</param>
    public ConfidenceInterval(double lower, double upper, double level)
    {
        Lower = lower;
        Upper = upper;
        Level = level;
    }

    /// <summary>Gets the lower bound; <see cref="double.NegativeInfinity"/> when the interval is open below.</summary>
    public double Lower { get; }

    /// <summary>Gets the upper bound; <see cref="double.PositiveInfinity"/> when the interval is open above.</summary>
    public double Upper { get; }

    /// <summary>Gets the confidence level the interval achieves (R's <c>attr(conf.int, "conf.level")</c>).</summary>
    public double Level { get; }

    /// <summary>Returns whether <paramref name="value"/> lies in the closed interval [<see cref="Lower"/>, <see cref="Upper"/>].</summary>
    /// <param name="value">The value to test.</param>
    /// <returns><see langword="true"/> when <see cref="Lower"/> ≤ <paramref name="value"/> ≤ <see cref="Upper"/>.</returns>
    public bool Contains(double value) => value >= Lower && value <= Upper;

    /// <summary>Compares two intervals bound by bound and level.</summary>
    /// <param name="left">The first interval.</param>
    /// <param name="right">The second interval.</param>
    /// <returns><see langword="true"/> when both bounds and the level are equal.</returns>
    public static bool operator ==(ConfidenceInterval left, ConfidenceInterval right) => left.Equals(right);

    /// <summary>Compares two intervals bound by bound and level.</summary>
    /// <param name="left">The first interval.</param>
    /// <param name="right">The second interval.</param>
    /// <returns><see langword="true"/> when a bound or the level differs.</returns>
    public static bool operator !=(ConfidenceInterval left, ConfidenceInterval right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(ConfidenceInterval other) =>
        Lower.Equals(other.Lower) && Upper.Equals(other.Upper) && Level.Equals(other.Level);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ConfidenceInterval other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Lower, Upper, Level);

    /// <summary>Formats the interval as <c>[lower, upper] (level %)</c> in the invariant culture.</summary>
    /// <returns>The formatted interval.</returns>
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "[{0:G6}, {1:G6}] ({2:0.##} %)", Lower, Upper, Level * 100);
}
