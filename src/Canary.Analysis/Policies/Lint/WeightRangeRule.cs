using static Canary.Analysis.Policies.Lint.LintText;

namespace Canary.Analysis.Policies.Lint;

/// <summary>CNY001 (was CA001), Warning: a canary weight (1–99 %) outside the 5–10 % range of the context.</summary>
internal sealed class WeightRangeRule : IPolicyLintRule
{
    public string Id => "CNY001";

    public IEnumerable<LintFinding> Check(LintSubject subject)
    {
        var (policy, context) = (subject.Policy, subject.Context);
        for (var i = 0; i < policy.Steps.Count; i++)
        {
            var w = policy.Steps[i].Weight;
            if (policy.Steps[i].Kind != CanaryStepKind.SetWeight || w is 0 or 100 || (w >= context.MinimumWeight && w <= context.MaximumWeight))
            {
                continue;
            }

            var why = w < context.MinimumWeight ? "less gives too little data for the analysis" : "more exposes too many users to a bad release";
            yield return new(Id, LintSeverity.Warning,
                I($"Step {i} sets the canary weight to {w} %, outside {context.MinimumWeight}–{context.MaximumWeight} %: {why}."),
                I($"Use a weight between {context.MinimumWeight} and {context.MaximumWeight} % (SetWeight({Math.Clamp(w, context.MinimumWeight, context.MaximumWeight)})); soak longer instead of ramping higher."),
                i);
        }
    }
}
