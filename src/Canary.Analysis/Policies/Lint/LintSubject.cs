using Canary.Analysis.Analysis;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Policies.Lint;

/// <summary>What every rule looks at: the policy, where it runs, and the schedule derived from the policy once.</summary>
internal sealed class LintSubject
{
    public LintSubject(CanaryPolicy policy, PolicyLintContext context)
    {
        Policy = policy;
        Context = context;
        Analysed = AnalysedTime(policy);
    }

    public CanaryPolicy Policy { get; }

    public PolicyLintContext Context { get; }

    /// <summary>Gets the analysed stretches of the planned schedule (offsets from the start), merged and in order.</summary>
    public IReadOnlyList<(TimeSpan Start, TimeSpan End)> Analysed { get; }

    /// <summary>Gets the total analysed time.</summary>
    public TimeSpan TotalAnalysed => Analysed.Aggregate(TimeSpan.Zero, (sum, s) => sum + (s.End - s.Start));

    /// <summary>Gets the shortest analysis that gives a statistical check its minimum data points at the scrape interval.</summary>
    public TimeSpan MinimumDuration => SampleSize.MinimumDuration(Context.ScrapeInterval, Context.MinimumDataPoints);

    /// <summary>The steps of one kind, in order, with their index and the canary weight in force there (a weight step's own).</summary>
    public IEnumerable<(int Index, CanaryStep Step, int Weight)> Steps(CanaryStepKind kind)
    {
        var weight = 0;
        for (var i = 0; i < Policy.Steps.Count; i++)
        {
            var step = Policy.Steps[i];
            weight = step.Kind == CanaryStepKind.SetWeight ? step.Weight : weight;
            if (step.Kind == kind)
            {
                yield return (i, step, weight);
            }
        }
    }

    /// <summary>Every metric of the policy with where it runs: the steps' in order, then the background analysis.</summary>
    public IEnumerable<(AnalysisMetric Metric, string Where, int? StepIndex)> Metrics() =>
        Policy.Steps.SelectMany((s, i) => s.Metrics.Select(m => (Metric: m, Where: LintText.I($"step {i} ({s})"), StepIndex: (int?)i)))
            .Concat(Policy.BackgroundAnalysis.Select(m => (Metric: m, Where: "background analysis", StepIndex: (int?)null)));

    /// <summary>The data an analysis step judges: its longest metric's planned span, capped by the check's window.</summary>
    public static TimeSpan JudgedSpan(CanaryStep step) => step.Metrics.Count == 0 ? TimeSpan.Zero
        : step.Metrics.Max(m => m.Check.Description.Window is { } window ? Min(window, Planned(m)) : Planned(m));

    /// <summary>A metric's planned span: initial delay + interval × (count − 1).</summary>
    public static TimeSpan Planned(AnalysisMetric m) =>
        m.InitialDelay + ((m.Interval ?? TimeSpan.Zero) * Math.Max(0, (m.EffectiveCount ?? 1) - 1));

    /// <summary>The index of the first step that sets a canary weight between 1 and 99 %, or −1.</summary>
    public int FirstCanaryWeight()
    {
        for (var i = 0; i < Policy.Steps.Count; i++)
        {
            if (Policy.Steps[i].Kind == CanaryStepKind.SetWeight && Policy.Steps[i].Weight is > 0 and < 100)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The weight the canary really gets: the replica split's when pods set the weight, else the requested one.</summary>
    public double EffectiveWeight(int weight) =>
        Context.Replicas is { } replicas && !Context.TrafficRouted && replicas > 0
            ? ReplicaSplit.ForWeight(replicas, weight, Context.MaxSurge).EffectiveWeight
            : weight;

    public static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static List<(TimeSpan Start, TimeSpan End)> AnalysedTime(CanaryPolicy policy)
    {
        var spans = new List<(TimeSpan Start, TimeSpan End)>();
        var t = TimeSpan.Zero;
        TimeSpan? background = null;
        for (var i = 0; i < policy.Steps.Count; i++)
        {
            if (i == policy.BackgroundFromStep && policy.BackgroundAnalysis.Count > 0)
            {
                background = t;
            }

            var d = policy.Steps[i].PlannedDuration;
            if (policy.Steps[i].Kind == CanaryStepKind.Analysis && d > TimeSpan.Zero)
            {
                spans.Add((t, t + d));
            }

            t += d;
        }

        if (background is { } from)
        {
            var indefinite = policy.BackgroundAnalysis.Any(m => m.EffectiveCount is null);
            var end = indefinite ? t : Min(t, from + policy.BackgroundAnalysis.Max(Planned));
            if (end > from)
            {
                spans.Add((from, end));
            }
        }

        var merged = new List<(TimeSpan Start, TimeSpan End)>();
        foreach (var span in spans.OrderBy(s => s.Start))
        {
            if (merged.Count > 0 && span.Start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Max(merged[^1].End, span.End));
            }
            else
            {
                merged.Add(span);
            }
        }

        return merged;
    }
}
