using static Canary.Analysis.Policies.Lint.LintText;

namespace Canary.Analysis.Policies.Lint;

/// <summary>
/// CNY002 (was CA002), Warning: no fail-fast analysis — the step after the first weight is not an analysis (and background
/// analysis does not start there), or the policy sets no canary weight at all.
/// </summary>
internal sealed class FailFastRule() : PolicyLintRule("CNY002")
{
    public override IEnumerable<LintFinding> Check(LintSubject subject)
    {
        var (policy, context) = (subject.Policy, subject.Context);
        var minimum = Show(subject.MinimumDuration);
        var first = subject.FirstCanaryWeight();
        if (first < 0)
        {
            yield return Finding(LintSeverity.Warning,
                "The policy sets no canary weight between 1 and 99 %: there is no small, fail-fast step before everyone gets the release.",
                I($"Start with SetWeight({context.MinimumWeight}) followed by an analysis of about {minimum} (CanaryPolicies.FailFastThenSoak)."));
            yield break;
        }

        var next = first + 1;
        var analysed = (next < policy.Steps.Count && policy.Steps[next].Kind == CanaryStepKind.Analysis)
            || (policy.BackgroundAnalysis.Count > 0 && policy.BackgroundFromStep <= next);
        if (!analysed)
        {
            var what = next < policy.Steps.Count ? I($"step {next} ({policy.Steps[next]})") : "nothing (the release is promoted)";
            yield return Finding(LintSeverity.Warning,
                I($"The first canary weight ({policy.Steps[first].Weight} %, step {first}) is followed by {what}, not by an analysis: a broken release is not caught quickly (not fail-fast)."),
                I($"Put an analysis of about {minimum} ({context.MinimumDataPoints} data points at {Show(context.ScrapeInterval)} scrapes) right after SetWeight({policy.Steps[first].Weight})."),
                next < policy.Steps.Count ? next : first);
        }
    }
}
