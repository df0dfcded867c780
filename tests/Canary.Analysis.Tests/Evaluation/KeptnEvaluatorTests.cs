using Canary.Analysis.Evaluation;
using Canary.Analysis.Statistics.Keptn;

namespace Canary.Analysis.Tests.Evaluation;

/// <summary>Keptn's quality gate as an evaluator (the SLO of KeptnScoringTests.WeightsWarningsAndTotals), with the fail-safe rules on top.</summary>
public sealed class KeptnEvaluatorTests
{
    internal static KeptnObjective Objective(string sli, string[] pass, string[]? warning = null, double weight = 1, bool key = false) =>
        new() { Sli = sli, Pass = [pass], Warning = warning is null ? [] : [warning], Weight = weight, KeySli = key };

    /// <summary>latency &lt;600 (warning ≤800, weight 1) and errors =0 (weight 2); pass at 90 %, warning at 75 %.</summary>
    internal static KeptnCriteria Criteria() => new()
    {
        Slo = new KeptnSlo
        {
            Objectives = [Objective("latency", ["<600"], ["<=800"], weight: 1), Objective("errors", ["=0"], weight: 2)],
            TotalPassPercent = 90,
            TotalWarningPercent = 75,
        },
    };

    private static Dictionary<string, double> Values(double? latency, double? errors)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (latency is { } l)
        {
            values["latency"] = l;
        }

        if (errors is { } e)
        {
            values["errors"] = e;
        }

        return values;
    }

    [Fact]
    public void KeptnPass_Fail_AndWarning_MapToPass_Fail_AndInconclusive()
    {
        var pass = KeptnEvaluator.Evaluate(Values(500, 0), Criteria());
        Assert.Equal((Verdict.Pass, 100.0, 90.0, KeptnEvaluator.CheckName), (pass.Verdict, pass.Value, pass.Threshold, pass.Name));

        var fail = KeptnEvaluator.Evaluate(Values(500, 1), Criteria());
        Assert.Equal(Verdict.Fail, fail.Verdict);
        Assert.Contains("errors Fail: errors = 1 meets neither the pass nor the warning criteria", fail.Reason, StringComparison.Ordinal);
        Assert.Equal(EndpointStatus.LimitBreached, fail.Endpoints.Single(r => r.Endpoint == "errors").Status);

        var warning = KeptnEvaluator.Evaluate(Values(700, 0), Criteria());
        Assert.Equal(Verdict.Inconclusive, warning.Verdict);
        Assert.Equal(100 * 2.5 / 3, warning.Value, 12);
    }

    [Fact]
    public void MissingMinorIndicator_WhichKeptnPasses_IsInconclusive()
    {
        var criteria = Criteria();
        criteria.Slo = new KeptnSlo { Objectives = [Objective("latency", ["<600"], weight: 1), Objective("errors", ["=0"], weight: 9)], TotalPassPercent = 90 };
        Assert.Equal(KeptnResult.Pass, KeptnScoring.Evaluate(criteria.Slo, Values(null, 0)).Result);

        var result = KeptnEvaluator.Evaluate(Values(null, 0), criteria);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.StartsWith("Not enough evidence: latency (no value); 1 of 2 objective(s) judged", result.Reason, StringComparison.Ordinal);
        Assert.Equal(EndpointStatus.Insufficient, result.Endpoints.Single(r => r.Endpoint == "latency").Status);
        Assert.Equal(Verdict.Inconclusive, KeptnEvaluator.Evaluate(Values(double.PositiveInfinity, 0), criteria).Verdict);
        Assert.Equal(Verdict.Inconclusive, KeptnEvaluator.Evaluate(Values(double.NaN, 0), criteria).Verdict);
    }

    [Fact]
    public void FailsWhateverTheMissingIndicatorWouldShow()
    {
        // errors = 1 fails weight 2 of 3: even a passing latency gives 33 % < 75 %.
        var result = KeptnEvaluator.Evaluate(Values(null, 1), Criteria());
        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Contains("best case: score 33.33 % below the targets", result.Reason, StringComparison.Ordinal);

        // A failed key indicator fails the gate whatever the others show.
        var criteria = Criteria();
        criteria.Slo = new KeptnSlo { Objectives = [Objective("latency", ["<600"], key: true), Objective("errors", ["=0"], weight: 9)] };
        var key = KeptnEvaluator.Evaluate(Values(900, null), criteria);
        Assert.Equal(Verdict.Fail, key.Verdict);
        Assert.Contains("a key SLI failed", key.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeCriteria_CompareWithTheBaseline_AndWithNothingAreNoEvidence()
    {
        // KeptnScoringTests.RelativePercentage: ≤ +10 % of 200 passes 220 and fails 220.5.
        var criteria = new KeptnCriteria { Slo = new KeptnSlo { Objectives = [Objective("latency", ["<=+10%"])] } };
        var baseline = new Dictionary<string, double> { ["latency"] = 200 };
        Assert.Equal(Verdict.Pass, KeptnEvaluator.Evaluate(Values(220, null), criteria, baseline).Verdict);
        var fail = KeptnEvaluator.Evaluate(Values(220.5, null), criteria, baseline);
        Assert.Equal((Verdict.Fail, 200.0), (fail.Verdict, fail.Endpoints[0].BaselineValue));

        // Keptn passes a relative criterion with nothing to compare with; here it is no evidence.
        var nothing = KeptnEvaluator.Evaluate(Values(220.5, null), criteria);
        Assert.Equal(Verdict.Inconclusive, nothing.Verdict);
        Assert.Contains("latency = 220.5 (nothing to compare with)", nothing.Reason, StringComparison.Ordinal);

        // The history is compared with when there is no baseline.
        criteria.History.Add(new KeptnPreviousEvaluation(KeptnResult.Pass, baseline));
        Assert.Equal(Verdict.Fail, KeptnEvaluator.Evaluate(Values(220.5, null), criteria).Verdict);
    }

    [Fact]
    public void NothingScored_IsInconclusive_AndBadCriteriaAreRejected()
    {
        var informational = new KeptnCriteria { Slo = new KeptnSlo { Objectives = [new KeptnObjective { Sli = "info" }] } };
        var result = KeptnEvaluator.Evaluate(Values(1, 1), informational);
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Equal(EndpointStatus.Excluded, Assert.Single(result.Endpoints).Status);

        var bad = new KeptnCriteria { Slo = new KeptnSlo { Objectives = [Objective("latency", ["<600ms"])] } };
        Assert.Contains("'<600ms'", Assert.Throws<ArgumentException>(() => KeptnEvaluator.Evaluate(Values(1, 1), bad)).Message, StringComparison.Ordinal);
    }
}
