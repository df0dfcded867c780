using System.Globalization;
using Canary.Analysis.Analysis;

namespace Canary.Analysis.Policies;

/// <summary>One step of a canary policy: set a weight, pause, or analyse.</summary>
public sealed class CanaryStep
{
    private CanaryStep(CanaryStepKind kind, int weight, TimeSpan? duration, IReadOnlyList<AnalysisMetric> metrics, string? name, bool failFast = false)
    {
        FailFast = failFast;
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

    /// <summary>
    /// Gets a value indicating whether this analysis step only looks for breakage: Failed or Error rolls back as usual, but an
    /// Inconclusive result (no regression seen, not enough data to pass) advances to the next step instead of pausing for a
    /// human, as long as a later analysis step must still pass before promotion (see <see cref="FailFastAnalysis"/>).
    /// </summary>
    public bool FailFast { get; }

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

    /// <summary>Creates an analysis step: Successful advances, Failed or Error rolls back, Inconclusive pauses for a human.</summary>
    /// <param name="name">A name for decisions and reports, e.g. <c>soak</c>.</param>
    /// <param name="metrics">The metrics (each must complete: a count, not only an interval).</param>
    /// <returns>The step.</returns>
    /// <exception cref="ArgumentException">No metric, or an invalid one; the message names it.</exception>
    public static CanaryStep Analysis(string name, params IEnumerable<AnalysisMetric> metrics) => CreateAnalysis(name, metrics, failFast: false);

    /// <summary>
    /// Creates a fail-fast analysis step, the short first step at a small weight whose job is to catch obvious breakage:
    /// Successful advances, Failed or Error rolls back, and Inconclusive (no regression seen, but too little traffic to
    /// pass, as at night on a rare endpoint) advances too, because a later analysis step must still pass before the
    /// release is promoted. When no later analysis step exists, Inconclusive pauses for a human as in <see cref="Analysis"/>:
    /// a release is never promoted on missing evidence. Checks that keep their evidence across steps (one
    /// <see cref="SequentialErrorRateCheck"/> for the whole policy) carry what the fail-fast step saw into the next.
    /// </summary>
    /// <param name="name">A name for decisions and reports, e.g. <c>fail-fast</c>.</param>
    /// <param name="metrics">The metrics (each must complete: a count, not only an interval).</param>
    /// <returns>The step.</returns>
    /// <exception cref="ArgumentException">No metric, or an invalid one; the message names it.</exception>
    public static CanaryStep FailFastAnalysis(string name, params IEnumerable<AnalysisMetric> metrics) => CreateAnalysis(name, metrics, failFast: true);

    private static CanaryStep CreateAnalysis(string name, IEnumerable<AnalysisMetric> metrics, bool failFast)
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

        return new(CanaryStepKind.Analysis, 0, null, list.AsReadOnly(), name, failFast);
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
        _ => $"{(FailFast ? "fail-fast analysis" : "analysis")} '{Name}' ({string.Join(", ", Metrics.Select(m => m.Name))})",
    };
}
