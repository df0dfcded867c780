using static Canary.Analysis.Policies.Lint.LintText;

namespace Canary.Analysis.Policies.Lint;

/// <summary>
/// CNY007 (was CA007), Error: a weight the replica count cannot give — the replica split's effective weight differs from
/// the requested one by more than the tolerance (skipped when traffic-routed or without a replica count).
/// </summary>
internal sealed class ReplicaRule : IPolicyLintRule
{
    public string Id => "CNY007";

    public IEnumerable<LintFinding> Check(LintSubject subject)
    {
        var (policy, context) = (subject.Policy, subject.Context);
        if (context.Replicas is not { } replicas || context.TrafficRouted)
        {
            yield break;
        }

        for (var i = 0; i < policy.Steps.Count; i++)
        {
            var step = policy.Steps[i];
            if (step.Kind != CanaryStepKind.SetWeight || step.Weight is 0 or 100)
            {
                continue;
            }

            var split = ReplicaSplit.ForWeight(replicas, step.Weight, context.MaxSurge);
            if (Math.Abs(split.EffectiveWeight - step.Weight) <= context.WeightTolerance)
            {
                continue;
            }

            var fix = Enumerable.Range(replicas + 1, 1000).FirstOrDefault(n => Math.Abs(ReplicaSplit.ForWeight(n, step.Weight, context.MaxSurge).EffectiveWeight - step.Weight) <= context.WeightTolerance);
            var more = fix > 0 ? I($"Run at least {fix} replicas ({ReplicaSplit.ForWeight(fix, step.Weight, context.MaxSurge)}), or use") : "Use";
            yield return new(Id, LintSeverity.Error,
                I($"Step {i} sets {step.Weight} %, but {replicas} replicas give {split.Canary} canary and {split.Stable} stable pods: the canary really gets {split.EffectiveWeight:0.#} % of the traffic."),
                I($"{more} a traffic router (service mesh or ingress; PolicyLintContext.TrafficRouted) that sets the weight independently of pod counts."),
                i);
        }
    }
}
