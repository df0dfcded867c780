namespace Canary.Analysis.Evaluation;

/// <summary>What a <see cref="QueryEvaluator"/> requires of a query's result: typed conditions, no expression language.</summary>
public sealed class QueryCriteria
{
    /// <summary>Gets or sets the condition that passes.</summary>
    /// <value>The default value is null: no pass condition.</value>
    public Threshold? PassWhen { get; set; }

    /// <summary>Gets or sets the condition that fails (it wins when both are met).</summary>
    /// <value>The default value is null: no fail condition.</value>
    public Threshold? FailWhen { get; set; }

    /// <summary>Gets or sets how the result's values become one number.</summary>
    /// <value>The default value is <see cref="ResultReducer.Single"/>.</value>
    public ResultReducer Reducer { get; set; } = ResultReducer.Single;

    /// <summary>
    /// Gets or sets a value indicating whether a response that came with server warnings (typically a partial response: a
    /// store that did not answer) may still be judged.
    /// </summary>
    /// <value>The default value is false: such a response is Inconclusive, naming the warnings.</value>
    public bool AllowPartialResponses { get; set; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">Neither condition is set.</exception>
    public void Validate()
    {
        if (PassWhen is null && FailWhen is null)
        {
            throw new ArgumentException("QueryCriteria needs a condition: set PassWhen and/or FailWhen.");
        }
    }
}
