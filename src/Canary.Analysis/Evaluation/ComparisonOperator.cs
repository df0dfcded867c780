namespace Canary.Analysis.Evaluation;

/// <summary>How a value is compared with a threshold.</summary>
public enum ComparisonOperator
{
    /// <summary>value &lt; threshold.</summary>
    LessThan,

    /// <summary>value ≤ threshold.</summary>
    LessThanOrEqual,

    /// <summary>value &gt; threshold.</summary>
    GreaterThan,

    /// <summary>value ≥ threshold.</summary>
    GreaterThanOrEqual,
}
