using System.Globalization;
using Canary.Analysis.Analysis;

namespace Canary.Analysis.Policies;

/// <summary>One step of a canary policy: set a weight, pause, or analyse.</summary>
public sealed class CanaryStep
{
    private CanaryStep(CanaryStepKind kind, int weight, TimeSpan? duration, IReadOnlyList<AnalysisMetric> metrics, string? name)
    {
        Kind = kind;
        Weight = weight;
        Duration = duration;
        Metrics = metrics;
        Name = name;
    }

    /// <summary>Gets what the step does.</summary>
    public CanaryStepKind Kind { get; }

    /// <summary>Gets the weight a <see cref="CanaryStepKind.SetWeight"/> step sets, in percent.</summary>
    public int Weight { get; }

    /// <summary>Gets how long a <see cref="CanaryStepKind.Pause"/> step waits; null waits for a human.</summary>
    public TimeSpan? Duration { get; }

    /// <summary>Gets the metrics of an <see cref="CanaryStepKind.Analysis"/> step.</summary>
    public IReadOnlyList<AnalysisMetric> Metrics { get; }

    /// <summary>Gets an optional name shown in decisions (for example <c>fail-fast</c>).</summary>
    public string? Name { get; }

    /// <summary>Creates a step that sets the canary weight.</summary>
    /// <param name="percent">The weight, 0–100.</param>
    /// <returns>The step.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The weight is outside 0–100.</exception>
    public static CanaryStep SetWeight(int percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        return new(CanaryStepKind.SetWeight, percent, null, [], null);
    }

    /// <summary>Creates a step that waits.</summary>
    /// <param name="duration">How long.</param>
    /// <returns>The step.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The duration is not positive.</exception>
    public static CanaryStep Pause(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        return new(CanaryStepKind.Pause, 0, duration, [], null);
    }

    /// <summary>Creates a step that waits until a human resumes or promotes the rollout.</summary>
    /// <returns>The step.</returns>
    public static CanaryStep PauseUntilResumed() => new(CanaryStepKind.Pause, 0, null, [], null);

    /// <summary>Creates an analysis step.</summary>
    /// <param name="name">A name for decisions and reports, e.g. <c>fail-fast</c>.</param>
    /// <param name="metrics">The metrics (each must complete: a count, not only an interval).</param>
    /// <returns>The step.</returns>
    /// <exception cref="ArgumentException">No metric, or an invalid one; the message names it.</exception>
    public static CanaryStep Analysis(string name, params IEnumerable<AnalysisMetric> metrics)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(metrics);
        var list = metrics.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException($"Analysis step '{name}' needs at least one metric.", nameof(metrics));
        }

        foreach (var metric in list)
        {
            metric.Validate(allowIndefinite: false);
        }

        return new(CanaryStepKind.Analysis, 0, null, list.AsReadOnly(), name);
    }

    /// <summary>The longest this step can take when everything goes well (pauses and analysis counts × intervals).</summary>
    internal TimeSpan PlannedDuration => Kind switch
    {
        CanaryStepKind.Pause => Duration ?? TimeSpan.Zero,
        CanaryStepKind.Analysis => Metrics.Max(m => m.InitialDelay + ((m.Interval ?? TimeSpan.Zero) * Math.Max(0, (m.EffectiveCount ?? 1) - 1))),
        _ => TimeSpan.Zero,
    };

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        CanaryStepKind.SetWeight => string.Create(CultureInfo.InvariantCulture, $"set weight {Weight} %"),
        CanaryStepKind.Pause => Duration is { } d ? $"pause {d}" : "pause until resumed",
        _ => $"analysis '{Name}' ({string.Join(", ", Metrics.Select(m => m.Name))})",
    };
}
