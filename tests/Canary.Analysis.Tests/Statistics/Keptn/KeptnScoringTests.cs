using Canary.Analysis.Statistics.Keptn;

namespace Canary.Analysis.Tests.Statistics.Keptn;

/// <summary>Keptn lighthouse SLO scoring (flagger-keptn-iter8.md §4).</summary>
public sealed class KeptnScoringTests
{
    private static KeptnObjective Objective(string sli, string[] pass, string[]? warning = null, double weight = 1, bool key = false) =>
        new() { Sli = sli, Pass = [pass], Warning = warning is null ? [] : [warning], Weight = weight, KeySli = key };

    private static KeptnPreviousEvaluation Prev(KeptnResult result, double latency) => new(result, new Dictionary<string, double> { ["latency"] = latency });

    [Theory]
    [InlineData("<600", KeptnOperator.Less, 600, false, false, false)]
    [InlineData("<=+10%", KeptnOperator.LessOrEqual, 10, true, true, true)]
    [InlineData("<+50", KeptnOperator.Less, 50, true, false, true)]
    [InlineData(">-5", KeptnOperator.Greater, 5, true, false, false)]
    [InlineData("<=10%", KeptnOperator.LessOrEqual, 10, true, true, true)]
    [InlineData("=0", KeptnOperator.Equal, 0, false, false, false)]
    [InlineData(">=0.5", KeptnOperator.GreaterOrEqual, 0.5, false, false, false)]
    public void Parse(string text, KeptnOperator op, double value, bool comparison, bool percentage, bool increase)
    {
        KeptnCriterion c = KeptnCriterion.Parse(text);
        Assert.Equal(op, c.Operator);
        Assert.Equal(value, c.Value);
        Assert.Equal(comparison, c.IsComparison);
        Assert.Equal(percentage, c.IsPercentage);
        Assert.Equal(increase, c.IsIncrease);
    }

    [Theory]
    [InlineData("600")]
    [InlineData("<600ms")]
    [InlineData("=<5")]
    [InlineData("|5")]
    [InlineData("<")]
    [InlineData("")]
    [InlineData(">= \u0661.5")] // an Arabic-Indic digit: a digit to Regex's \d, not to double.Parse
    [InlineData("<\uFF15")] // a fullwidth 5
    public void Parse_RejectsWhatKeptnsRegexLetsThrough(string text) =>
        Assert.Contains($"'{text}'", Assert.Throws<FormatException>(() => KeptnCriterion.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void BadCriterion_ErrorNamesTheObjectiveAndTheString()
    {
        var slo = new KeptnSlo { Objectives = [Objective("response_time_p95", ["<=+10%", "<1000ms"])] };
        ArgumentException e = Assert.Throws<ArgumentException>(() => KeptnScoring.Evaluate(slo, new Dictionary<string, double>()));
        Assert.Contains("'response_time_p95'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'<1000ms'", e.Message, StringComparison.Ordinal);
        Assert.Equal("slo", e.ParamName);
    }

    [Fact]
    public void RelativePercentage_AgainstTheAverageOfPreviousResults()
    {
        var slo = new KeptnSlo { Objectives = [Objective("latency", ["<=+10%"])], CompareWith = KeptnCompareWith.SeveralResults, NumberOfComparisonResults = 3 };
        KeptnPreviousEvaluation[] history = [Prev(KeptnResult.Pass, 999), Prev(KeptnResult.Pass, 150), Prev(KeptnResult.Pass, 250), Prev(KeptnResult.Pass, 200)];
        Assert.Equal(KeptnResult.Pass, KeptnScoring.Evaluate(slo, new Dictionary<string, double> { ["latency"] = 220 }, history).Result);
        KeptnEvaluation fail = KeptnScoring.Evaluate(slo, new Dictionary<string, double> { ["latency"] = 220.5 }, history);
        Assert.Equal(KeptnResult.Fail, fail.Result);
        Assert.Equal(200, fail.Objectives[0].ComparisonValue);
    }

    [Fact]
    public void RelativeAbsolute_AndSingleResultUsesTheLatest()
    {
        var slo = new KeptnSlo { Objectives = [Objective("latency", ["<+50"])] };
        KeptnPreviousEvaluation[] history = [Prev(KeptnResult.Pass, 100), Prev(KeptnResult.Fail, 300)];
        Assert.Equal(KeptnResult.Pass, KeptnScoring.Evaluate(slo, new Dictionary<string, double> { ["latency"] = 349 }, history).Result);
        var passOnly = new KeptnSlo { Objectives = slo.Objectives, IncludeResultWithScore = KeptnIncludeResults.Pass };
        Assert.Equal(KeptnResult.Fail, KeptnScoring.Evaluate(passOnly, new Dictionary<string, double> { ["latency"] = 349 }, history).Result);
    }

    [Fact]
    public void NoHistory_ComparisonPasses_AsKeptn_OrFailsWithTheOption()
    {
        var slo = new KeptnSlo { Objectives = [Objective("latency", ["<=+10%"])] };
        var values = new Dictionary<string, double> { ["latency"] = 1e9 };
        Assert.Equal(KeptnResult.Pass, KeptnScoring.Evaluate(slo, values).Result);
        Assert.Equal(KeptnResult.Fail, KeptnScoring.Evaluate(slo, values, null, new KeptnScoringOptions { ComparisonPassesWithoutHistory = false }).Result);
    }

    [Fact]
    public void WeightsWarningsAndTotals()
    {
        var slo = new KeptnSlo
        {
            Objectives = [Objective("latency", ["<600"], ["<=800"], weight: 1), Objective("errors", ["=0"], weight: 2)],
            TotalPassPercent = 90,
            TotalWarningPercent = 75,
        };
        KeptnEvaluation warn = KeptnScoring.Evaluate(slo, new Dictionary<string, double> { ["latency"] = 700, ["errors"] = 0 });
        Assert.Equal(KeptnObjectiveStatus.Warning, warn.Objectives[0].Status);
        Assert.Equal(0.5, warn.Objectives[0].Score);
        Assert.Equal(100 * 2.5 / 3, warn.ScorePercent, 12);
        Assert.Equal(KeptnResult.Warning, warn.Result);

        Assert.Equal(KeptnResult.Pass, KeptnScoring.Evaluate(slo, new Dictionary<string, double> { ["latency"] = 500, ["errors"] = 0 }).Result);
        Assert.Equal(KeptnResult.Fail, KeptnScoring.Evaluate(slo, new Dictionary<string, double> { ["latency"] = 500, ["errors"] = 1 }).Result);
    }

    [Fact]
    public void SetsAreOredAndCriteriaInASetAreAnded()
    {
        var slo = new KeptnSlo { Objectives = [new KeptnObjective { Sli = "latency", Pass = [["<100", ">50"], ["=500"]] }] };
        Assert.Equal(KeptnResult.Pass, KeptnScoring.Evaluate(slo, new Dictionary<string, double> { ["latency"] = 75 }).Result);
        Assert.Equal(KeptnResult.Pass, KeptnScoring.Evaluate(slo, new Dictionary<string, double> { ["latency"] = 500 }).Result);
        Assert.Equal(KeptnResult.Fail, KeptnScoring.Evaluate(slo, new Dictionary<string, double> { ["latency"] = 25 }).Result);
    }

    [Fact]
    public void KeySli_FailureFailsTheGate_WarningDoesNotUnlessOptedIn()
    {
        var slo = new KeptnSlo
        {
            Objectives = [Objective("latency", ["<600"], ["<=800"], key: true), Objective("a", ["=0"]), Objective("b", ["=0"]), Objective("c", ["=0"]), Objective("d", ["=0"]), Objective("e", ["=0"]), Objective("f", ["=0"]), Objective("g", ["=0"]), Objective("h", ["=0"]), Objective("i", ["=0"]), Objective("j", ["=0"])],
        };
        var values = new Dictionary<string, double> { ["latency"] = 700, ["a"] = 0, ["b"] = 0, ["c"] = 0, ["d"] = 0, ["e"] = 0, ["f"] = 0, ["g"] = 0, ["h"] = 0, ["i"] = 0, ["j"] = 0 };
        Assert.Equal(KeptnResult.Pass, KeptnScoring.Evaluate(slo, values).Result);
        Assert.Equal(KeptnResult.Fail, KeptnScoring.Evaluate(slo, values, null, new KeptnScoringOptions { KeySliWarningFails = true }).Result);

        values["latency"] = 900;
        KeptnEvaluation failed = KeptnScoring.Evaluate(slo, values);
        Assert.Equal(KeptnResult.Fail, failed.Result);
        Assert.True(failed.KeySliFailed);
        Assert.StartsWith("Evaluation failed due to key_sli objective latency", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingValueFails()
    {
        KeptnEvaluation e = KeptnScoring.Evaluate(new KeptnSlo { Objectives = [Objective("latency", ["<600"])] }, new Dictionary<string, double>());
        Assert.Equal(KeptnObjectiveStatus.Fail, e.Objectives[0].Status);
        Assert.Equal(KeptnResult.Fail, e.Result);
    }

    [Fact]
    public void InformationalOnly_PassesAt100_AsKeptn_NoObjectivesFails()
    {
        var info = new KeptnSlo { Objectives = [new KeptnObjective { Sli = "throughput" }] };
        KeptnEvaluation e = KeptnScoring.Evaluate(info, new Dictionary<string, double> { ["throughput"] = 5 });
        Assert.Equal(KeptnResult.Pass, e.Result);
        Assert.Equal(100, e.ScorePercent);
        Assert.Equal(KeptnObjectiveStatus.Info, e.Objectives[0].Status);
        Assert.Equal(KeptnResult.Fail, KeptnScoring.Evaluate(info, new Dictionary<string, double>(), null, new KeptnScoringOptions { PassWithoutScoredObjectives = false }).Result);
        Assert.Equal(KeptnResult.Fail, KeptnScoring.Evaluate(new KeptnSlo(), new Dictionary<string, double>()).Result);
    }

    [Fact]
    public void ZeroWeightCountsAsOne()
    {
        var slo = new KeptnSlo { Objectives = [Objective("a", ["=0"], weight: 0), Objective("b", ["=0"], weight: 1)] };
        Assert.Equal(50, KeptnScoring.Evaluate(slo, new Dictionary<string, double> { ["a"] = 0, ["b"] = 1 }).ScorePercent);
    }

    [Fact]
    public void Percentiles_UseKeptnsPositionRule()
    {
        double[] v = [10, 20, 30, 40];
        Assert.Equal(25, KeptnScoring.Aggregate(v, KeptnAggregateFunction.P50), 12);
        Assert.Equal(40, KeptnScoring.Aggregate(v, KeptnAggregateFunction.P90), 12);
        Assert.Equal(25, KeptnScoring.Aggregate(v, KeptnAggregateFunction.Avg), 12);
        Assert.Equal(10, KeptnScoring.Aggregate([10], KeptnAggregateFunction.P50), 12);
        Assert.True(double.IsNaN(KeptnScoring.Aggregate([], KeptnAggregateFunction.Avg)));
    }
}
