using Canary.Analysis.Analysis;
using Canary.Analysis.Statistics;
using static Canary.Analysis.Policies.Lint.LintText;

namespace Canary.Analysis.Policies.Lint;

/// <summary>
/// CNY006 (was CA006), Warning: an analysis step is too short for its test to have power on the rarest judged endpoint at the
/// step's (effective) weight. Judged endpoints come from the step's checks that describe themselves as judging success or
/// error rates with endpoint weights (traffic-weighted checks see the total); when none does, every endpoint is judged.
/// Info when no traffic is given; Warning for analysis at 0 %.
/// </summary>
internal sealed class PowerRule() : PolicyLintRule("CNY006")
{
    public override IEnumerable<LintFinding> Check(LintSubject subject)
    {
        if (subject.Context.RequestsPerSecond.Count == 0)
        {
            yield return Finding(LintSeverity.Info,
                "Statistical power not checked: no expected traffic (PolicyLintContext.RequestsPerSecond) was given.",
                "Set PolicyLintContext.RequestsPerSecond to the expected peak requests per second of each endpoint (both versions together).");
            yield break;
        }

        foreach (var (i, step, weight) in subject.Steps(CanaryStepKind.Analysis))
        {
            if (weight == 0)
            {
                yield return Finding(LintSeverity.Warning,
                    I($"Step {i} ({step}) analyses at 0 % weight: the canary gets no traffic, so there is nothing to judge."),
                    "Set a canary weight (5–10 %) before the analysis.",
                    i);
            }
            else if (weight < 100 && Underpowered(subject, i, step, weight) is { } finding)
            {
                yield return finding;
            }
        }
    }

    /// <summary>The finding when the step is too short for its rarest judged endpoint at the weight, or null.</summary>
    private LintFinding? Underpowered(LintSubject subject, int i, CanaryStep step, int weight)
    {
        var context = subject.Context;
        if (Rarest(step, context) is not { } rarest)
        {
            return null;
        }

        var effective = subject.EffectiveWeight(weight);
        var needed = SampleSize.TimeToEvidence(rarest.Rate, effective / 100, 1 - context.BaselineErrorRate, 1 - context.ErrorRateToDetect, context.Alpha, context.Power, Alternative.Less);
        var judged = LintSubject.JudgedSpan(step);
        if (judged >= needed)
        {
            return null;
        }

        var requests = Math.Ceiling(SampleSize.RequestsPerVersion(1 - context.BaselineErrorRate, 1 - context.ErrorRateToDetect, context.Alpha, context.Power, Alternative.Less));
        var weightText = Math.Abs(effective - weight) < 1e-9 ? I($"{weight} %") : I($"{weight} % (really {effective:0.#} %)");
        return Finding(LintSeverity.Warning,
            I($"Step {i} ({step}) judges {Show(judged)} at {weightText}, but seeing {context.BaselineErrorRate:0.###%} → {context.ErrorRateToDetect:0.###%} errors on {rarest.Endpoint} ({rarest.Rate:0.###} req/s) with power {context.Power:0.##} at α {context.Alpha:0.###} needs {requests} requests per version, which takes {Show(needed)}."),
            I($"Lengthen the step to at least {Show(needed)}, or accept that {rarest.Endpoint} stays Inconclusive here and is judged in a later, longer soak."),
            i);
    }

    /// <summary>The rarest endpoint the step's rate checks judge, with its expected rate; without such checks every endpoint is judged.</summary>
    private static (string Endpoint, double Rate)? Rarest(CanaryStep step, PolicyLintContext context)
    {
        var rates = context.RequestsPerSecond;
        var weights = step.Metrics.Select(m => m.Check.Description)
            .Where(d => d.Judges is CheckSubject.SuccessRate or CheckSubject.ErrorRate && d.Weights is not null)
            .Select(d => d.Weights!)
            .ToList();
        var candidates = weights.Count == 0
            ? rates.Select(r => (r.Key, r.Value)).ToList()
            : weights.SelectMany(w => LintWeights.Judged(w, rates)).ToList();
        return candidates.Count == 0 ? null : candidates.MinBy(c => c.Item2);
    }
}
