namespace Canary.Analysis.Evaluation;

/// <summary>How a query result's values (the last sample of each series) become one number.</summary>
public enum ResultReducer
{
    /// <summary>Exactly one series is expected; more is Inconclusive (an ambiguous query), none is no data.</summary>
    Single,

    /// <summary>The sum over series.</summary>
    Sum,

    /// <summary>The smallest value.</summary>
    Min,

    /// <summary>The largest value.</summary>
    Max,

    /// <summary>The mean over series.</summary>
    Mean,
}
