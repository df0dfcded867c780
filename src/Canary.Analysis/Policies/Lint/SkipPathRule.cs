using static Canary.Analysis.Policies.Lint.LintText;

namespace Canary.Analysis.Policies.Lint;

/// <summary>
/// CNY008 (was CA008): Warning when the tooling has no skip path; Info when it has one but timed pauses, which skipping
/// analysis does not shorten, still hold an urgent fix back.
/// </summary>
internal sealed class SkipPathRule() : PolicyLintRule("CNY008")
{
    public override IEnumerable<LintFinding> Check(LintSubject subject)
    {
        var policy = subject.Policy;
        if (!subject.Context.HasSkipPath)
        {
            yield return Finding(LintSeverity.Warning,
                I($"No skip path: the team's tooling cannot skip analysis, so an urgent fix sits through {Show(subject.TotalAnalysed)} of analysis ({Show(policy.PlannedDuration)} in all)."),
                "Expose CanaryRollout.Apply(ManualAction.SkipAnalysis or ManualAction.Promote, by, reason) in the team's tooling (CLI, chat-ops, dashboard); the override is recorded in every later decision.");
            yield break;
        }

        var pauses = policy.Steps.Select((s, i) => (Step: s, Index: i)).Where(p => p.Step.Kind == CanaryStepKind.Pause && p.Step.Duration is not null).ToList();
        if (pauses.Count > 0)
        {
            var wait = pauses.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Step.Duration!.Value);
            yield return Finding(LintSeverity.Info,
                I($"Skipping analysis does not shorten timed pauses: an urgent fix still waits {Show(wait)} (steps {string.Join(", ", pauses.Select(p => p.Index))})."),
                "For urgent fixes use ManualAction.Promote, or hold the weight with analysis steps instead of timed pauses.",
                pauses[0].Index);
        }
    }
}
