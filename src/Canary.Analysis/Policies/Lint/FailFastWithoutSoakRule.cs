using static Canary.Analysis.Policies.Lint.LintText;

namespace Canary.Analysis.Policies.Lint;

/// <summary>
/// CNY010 (was CA010), Warning: a fail-fast analysis step with no regular analysis step after it — when it only lacks data
/// it pauses for a human instead of advancing, since nothing later must pass before promotion.
/// </summary>
internal sealed class FailFastWithoutSoakRule() : PolicyLintRule("CNY010")
{
    public override IEnumerable<LintFinding> Check(LintSubject subject)
    {
        var analyses = subject.Steps(CanaryStepKind.Analysis).ToList();
        var lastRegular = analyses.Where(s => !s.Step.FailFast).Select(s => s.Index).DefaultIfEmpty(-1).Max();
        return from s in analyses
               where s.Step.FailFast && s.Index > lastRegular
               select Finding(LintSeverity.Warning,
                   I($"Step {s.Index} ({s.Step}) is fail-fast, but no regular analysis step follows it: when it only lacks data it pauses for a human instead of advancing, because nothing later must pass before promotion."),
                   "Add a soak analysis after it (CanaryStep.Analysis, as CanaryPolicies.FailFastThenSoak does), or make it a regular analysis step.",
                   s.Index);
    }
}
