using System.Globalization;

namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>A threshold as a source writes it: the measured value passes when <c>value Operator Threshold</c>.</summary>
/// <param name="Operator"><c>&gt;=</c>, <c>&gt;</c>, <c>&lt;=</c> or <c>&lt;</c>.</param>
/// <param name="Threshold">The number compared with.</param>
internal sealed record PassCondition(string Operator, double Threshold)
{
    /// <summary>The condition that passes exactly when this one fails (<c>&lt;</c> becomes <c>&gt;=</c>).</summary>
    public PassCondition Negated() => this with { Operator = Negate(Operator) };

    public static string Negate(string op) => op switch { ">=" => "<", ">" => "<=", "<=" => ">", _ => ">=" };

    public static string Flip(string op) => op switch { ">=" => "<=", ">" => "<", "<=" => ">=", _ => ">" };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Operator} {Threshold}");
}
