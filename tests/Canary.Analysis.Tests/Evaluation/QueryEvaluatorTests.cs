using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Tests.Evaluation;

/// <summary><see cref="QueryEvaluator"/> judges a query's result without running it.</summary>
public sealed class QueryEvaluatorTests
{
    [Theory]
    [InlineData(0.999, Verdict.Pass, "0.999 ≥ 0.99.")]
    [InlineData(0.98, Verdict.Inconclusive, "0.98 meets neither ≥ 0.99 nor the fail condition < 0.97.")]
    [InlineData(0.9, Verdict.Fail, "0.9 < 0.97: fail condition met.")]
    public void Evaluate_BothConditions_ArgoDecisionTable(double value, Verdict verdict, string reason)
    {
        var result = QueryEvaluator.Evaluate("sr", [value], [], new QueryCriteria { PassWhen = Threshold.AtLeast(0.99), FailWhen = new Threshold(ComparisonOperator.LessThan, 0.97) });

        Assert.Equal((verdict, reason, "sr"), (result.Verdict, result.Reason, result.Name));
    }

    [Fact]
    public void Evaluate_ReducerAndWarnings()
    {
        var criteria = new QueryCriteria { FailWhen = Threshold.AtLeast(10), Reducer = ResultReducer.Sum };

        var warned = QueryEvaluator.Evaluate("x", [4, 7], ["partial response"], criteria);
        criteria.AllowPartialResponses = true;
        var accepted = QueryEvaluator.Evaluate("x", [4, 7], ["partial response"], criteria);

        Assert.Equal(Verdict.Inconclusive, warned.Verdict);
        Assert.Equal("Incomplete data (server warnings: partial response): no verdict on this data. Without the warnings: 11 ≥ 10: fail condition met.", warned.Reason);
        Assert.Equal((Verdict.Fail, 11.0), (accepted.Verdict, accepted.Value));
    }

    [Fact]
    public void Evaluate_WithoutCondition_Throws() =>
        Assert.Contains("needs a condition", Assert.Throws<ArgumentException>(() => QueryEvaluator.Evaluate("x", [1], [], new QueryCriteria())).Message, StringComparison.Ordinal);
}
