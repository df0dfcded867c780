using Canary.Analysis.Analysis;

namespace Canary.Analysis.Policies;

/// <summary>A canary policy: steps to run in order, plus optional background analysis from a given step.</summary>
public sealed class CanaryPolicy
{
    /// <summary>Creates a policy.</summary>
    /// <param name="name">The policy's name.</param>
    /// <param name="steps">The steps, in order.</param>
    /// <param name="backgroundAnalysis">Metrics measured in the background from <paramref name="backgroundFromStep"/> until promotion.</param>
    /// <param name="backgroundFromStep">The step index background analysis starts at.</param>
    /// <exception cref="ArgumentException">No steps, an invalid background metric, or a start step out of range.</exception>
    public CanaryPolicy(string name, IEnumerable<CanaryStep> steps, IEnumerable<AnalysisMetric>? backgroundAnalysis = null, int backgroundFromStep = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(steps);
        Name = name;
        Steps = steps.ToList().AsReadOnly();
        if (Steps.Count == 0)
        {
            throw new ArgumentException($"Canary policy '{name}' needs at least one step.", nameof(steps));
        }

        BackgroundAnalysis = (backgroundAnalysis ?? []).ToList().AsReadOnly();
        foreach (var metric in BackgroundAnalysis)
        {
            metric.Validate(allowIndefinite: true);
        }

        if (backgroundFromStep < 0 || backgroundFromStep >= Steps.Count)
        {
            throw new ArgumentException($"Canary policy '{name}': background analysis starts at step {backgroundFromStep}, but the steps are 0–{Steps.Count - 1}.", nameof(backgroundFromStep));
        }

        BackgroundFromStep = backgroundFromStep;
    }

    /// <summary>
    /// Gets or sets the rollout's replica count when pods split the traffic (no mesh or ingress router): decisions then
    /// carry the pod split and the effective weight (<see cref="ReplicaSplit.ForWeight"/>); null (the default) means the
    /// weight is routed exactly, so the effective weight is the requested one.
    /// </summary>
    public int? Replicas { get; init; }

    /// <summary>Gets or sets the surge allowed in pods with <see cref="Replicas"/>; null means Argo's default (25 % of replicas, rounded up).</summary>
    public int? MaxSurge { get; init; }

    /// <summary>Gets the policy's name.</summary>
    public string Name { get; }

    /// <summary>Gets the steps.</summary>
    public IReadOnlyList<CanaryStep> Steps { get; }

    /// <summary>Gets the background analysis metrics (empty for none).</summary>
    public IReadOnlyList<AnalysisMetric> BackgroundAnalysis { get; }

    /// <summary>Gets the step index background analysis starts at.</summary>
    public int BackgroundFromStep { get; }

    /// <summary>Gets the time the policy takes when every step goes well.</summary>
    public TimeSpan PlannedDuration => Steps.Aggregate(TimeSpan.Zero, (sum, step) => sum + step.PlannedDuration);
}
