using static Canary.Analysis.Policies.Lint.LintText;

namespace Canary.Analysis.Policies.Lint;

/// <summary>
/// CNY007 (was CA007), Error: a weight the replica count cannot give — the replica split's effective weight differs from
/// the requested one by more than the tolerance (skipped when traffic-routed or without a replica count).
/// </summary>
internal sealed class ReplicaRule() : PolicyLintRule("CNY007")
{
    public override IEnumerable<LintFinding> Check(LintSubject subject)
    {
        var context = subject.Context;
        if (context.Replicas is not { } replicas || context.TrafficRouted)
        {
            return [];
        }

        bool Gives(int pods, int weight) => Math.Abs(ReplicaSplit.ForWeight(pods, weight, context.MaxSurge).EffectiveWeight - weight) <= context.WeightTolerance;
        return subject.Steps(CanaryStepKind.SetWeight)
            .Where(s => s.Weight is not (0 or 100) && !Gives(replicas, s.Weight))
            .Select(s =>
            {
                var split = ReplicaSplit.ForWeight(replicas, s.Weight, context.MaxSurge);
                var fix = Enumerable.Range(replicas + 1, 1000).FirstOrDefault(n => Gives(n, s.Weight));
                var more = fix > 0 ? I($"Run at least {fix} replicas ({ReplicaSplit.ForWeight(fix, s.Weight, context.MaxSurge)}), or use") : "Use";
                return Finding(LintSeverity.Error,
                    I($"Step {s.Index} sets {s.Weight} %, but {replicas} replicas give {split.Canary} canary and {split.Stable} stable pods: the canary really gets {split.EffectiveWeight:0.#} % of the traffic."),
                    I($"{more} a traffic router (service mesh or ingress; PolicyLintContext.TrafficRouted) that sets the weight independently of pod counts."),
                    s.Index);
            });
    }
}
