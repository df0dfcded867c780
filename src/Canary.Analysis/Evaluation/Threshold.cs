using System.Globalization;

namespace Canary.Analysis.Evaluation;

/// <summary>A typed condition on a number, such as <c>≥ 0.99</c>: no string expression language.</summary>
public readonly record struct Threshold
{
    /// <summary>Creates a threshold.</summary>
    /// <param name="operator">The comparison.</param>
    /// <param name="value">The threshold value (finite).</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite or the operator unknown.</exception>
    public Threshold(ComparisonOperator @operator, double value)
    {
        if (!Enum.IsDefined(@operator))
        {
            throw new ArgumentOutOfRangeException(nameof(@operator), @operator, "Unknown comparison.");
        }

        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A threshold must be a finite number.");
        }

        Operator = @operator;
        Value = value;
    }

    /// <summary>Gets the comparison.</summary>
    public ComparisonOperator Operator { get; }

    /// <summary>Gets the threshold value.</summary>
    public double Value { get; }

    /// <summary>Creates <c>value ≥ threshold</c>.</summary>
    /// <param name="value">The threshold.</param>
    /// <returns>The threshold.</returns>
    public static Threshold AtLeast(double value) => new(ComparisonOperator.GreaterThanOrEqual, value);

    /// <summary>Creates <c>value ≤ threshold</c>.</summary>
    /// <param name="value">The threshold.</param>
    /// <returns>The threshold.</returns>
    public static Threshold AtMost(double value) => new(ComparisonOperator.LessThanOrEqual, value);

    /// <summary>Whether <paramref name="value"/> meets the condition; NaN never does.</summary>
    /// <param name="value">The value.</param>
    /// <returns>True when met.</returns>
    public bool IsMetBy(double value) => Operator switch
    {
        ComparisonOperator.LessThan => value < Value,
        ComparisonOperator.LessThanOrEqual => value <= Value,
        ComparisonOperator.GreaterThan => value > Value,
        _ => value >= Value,
    };

    /// <inheritdoc />
    public override string ToString() => Operator switch
    {
        ComparisonOperator.LessThan => "< ",
        ComparisonOperator.LessThanOrEqual => "≤ ",
        ComparisonOperator.GreaterThan => "> ",
        _ => "≥ ",
    } + Value.ToString("R", CultureInfo.InvariantCulture);
}
