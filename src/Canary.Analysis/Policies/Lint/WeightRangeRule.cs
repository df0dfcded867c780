using static Canary.Analysis.Policies.Lint.LintText;

namespace Canary.Analysis.Policies.Lint;

/// <summary>CNY001 (was CA001), Warning: a canary weight (1–99 %) outside the 5–10 % range of the context.</summary>
internal sealed class WeightRangeRule() : PolicyLintRule("CNY001")
{
    public override IEnumerable<LintFinding> Check(LintSubject subject)
    {
        var (low, high) = (subject.Context.MinimumWeight, subject.Context.MaximumWeight);
        return from s in subject.Steps(CanaryStepKind.SetWeight)
               where s.Weight is > 0 and < 100 && (s.Weight < low || s.Weight > high)
               select Finding(LintSeverity.Warning,
                   I($"Step {s.Index} sets the canary weight to {s.Weight} %, outside {low}–{high} %: {(s.Weight < low ? "less gives too little data for the analysis" : "more exposes too many users to a bad release")}."),
                   I($"Use a weight between {low} and {high} % (SetWeight({Math.Clamp(s.Weight, low, high)})); soak longer instead of ramping higher."),
                   s.Index);
    }
}
