using static Canary.Analysis.Policies.Lint.LintText;

namespace Canary.Analysis.Policies.Lint;

/// <summary>
/// CNY010 (was CA010), Warning: a fail-fast analysis step with no regular analysis step after it — when it only lacks data
/// it pauses for a human instead of advancing, since nothing later must pass before promotion.
/// </summary>
internal sealed class FailFastWithoutSoakRule : IPolicyLintRule
{
    public string Id => "CNY010";

    public IEnumerable<LintFinding> Check(LintSubject subject)
    {
        var policy = subject.Policy;
        var lastRegular = -1;
        for (var i = 0; i < policy.Steps.Count; i++)
        {
            if (policy.Steps[i].Kind == CanaryStepKind.Analysis && !policy.Steps[i].FailFast)
            {
                lastRegular = i;
            }
        }

        for (var i = lastRegular + 1; i < policy.Steps.Count; i++)
        {
            if (policy.Steps[i].FailFast)
            {
                yield return new(Id, LintSeverity.Warning,
                    I($"Step {i} ({policy.Steps[i]}) is fail-fast, but no regular analysis step follows it: when it only lacks data it pauses for a human instead of advancing, because nothing later must pass before promotion."),
                    "Add a soak analysis after it (CanaryStep.Analysis, as CanaryPolicies.FailFastThenSoak does), or make it a regular analysis step.",
                    i);
            }
        }
    }
}
