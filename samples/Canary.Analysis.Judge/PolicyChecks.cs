using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Judge;

/// <summary>A check of a policy's analysis steps: its name, the instance, the interval of the first step that runs it.</summary>
internal sealed record PolicyCheck(string Name, IAnalysisCheck Check, TimeSpan Interval, IReadOnlyList<string> Steps)
{
    /// <summary>Gets whether the check keeps evidence across looks (a sequential test: an α, no window).</summary>
    public bool IsSequential => Check.Description.SequentialAlpha is not null;

    /// <summary>The checks of every analysis step, each once (a check named by several steps is one instance), in step order.</summary>
    public static IReadOnlyList<PolicyCheck> Of(CanaryPolicy policy)
    {
        var checks = new List<PolicyCheck>();
        foreach (var step in policy.Steps.Where(s => s.Kind == CanaryStepKind.Analysis))
        {
            foreach (var metric in step.Metrics)
            {
                var index = checks.FindIndex(c => ReferenceEquals(c.Check, metric.Check));
                if (index < 0)
                {
                    checks.Add(new PolicyCheck(metric.Name, metric.Check, metric.Interval ?? TimeSpan.FromMinutes(1), [step.Name ?? ""]));
                }
                else
                {
                    checks[index] = checks[index] with { Steps = [.. checks[index].Steps, step.Name ?? ""] };
                }
            }
        }

        return checks;
    }

    /// <summary>The verdict of several checks: Fail when one fails, Pass when all pass, otherwise (or with none) Inconclusive.</summary>
    public static Verdict Combine(IEnumerable<Verdict> verdicts)
    {
        var all = verdicts.ToList();
        return all.Contains(Verdict.Fail) ? Verdict.Fail
            : all.Count > 0 && all.TrueForAll(v => v == Verdict.Pass) ? Verdict.Pass
            : Verdict.Inconclusive;
    }
}
