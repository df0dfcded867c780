using static Canary.Analysis.Policies.Lint.LintText;

namespace Canary.Analysis.Policies.Lint;

/// <summary>
/// CNY004 (was CA004): the analysed time is shorter than the context's minimum (24 h), Warning; Error when the policy
/// analyses nothing.
/// </summary>
internal sealed class TotalAnalysisRule() : PolicyLintRule("CNY004")
{
    public override IEnumerable<LintFinding> Check(LintSubject subject)
    {
        var context = subject.Context;
        var total = subject.TotalAnalysed;
        if (total == TimeSpan.Zero)
        {
            yield return Finding(LintSeverity.Error,
                "The policy analyses nothing (no analysis step with a duration, no background analysis): every release that starts is promoted.",
                "Add a fail-fast analysis after the first weight and soak analyses after it (CanaryPolicies.FailFastThenSoak or LongSoak).");
        }
        else if (total < context.MinimumTotalAnalysis)
        {
            yield return Finding(LintSeverity.Warning,
                I($"The policy analyses {Show(total)} in all, less than {Show(context.MinimumTotalAnalysis)}: short analyses miss what a whole day of traffic, peak hours included, reveals."),
                I($"Soak at {context.MaximumWeight} % until the analysis covers at least {Show(context.MinimumTotalAnalysis)} (CanaryPolicies.LongSoak), or run background analysis across the soak."));
        }
    }
}
