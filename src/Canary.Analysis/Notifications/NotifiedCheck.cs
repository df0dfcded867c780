using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Notifications;

/// <summary>
/// The metric that decided, as a message names it: its phase and counters (<see cref="MetricRunStatus"/>) and its last
/// measurement's check result (<see cref="CheckResult"/>), copied as numbers.
/// </summary>
public sealed record NotifiedCheck
{
    /// <summary>Gets the metric's name in the analysis.</summary>
    public required string Metric { get; init; }

    /// <summary>Gets the check's name (e.g. <see cref="SuccessRateEvaluator.CheckName"/>), or null when the last measurement kept no result (an error, a resumed state).</summary>
    public string? Check { get; init; }

    /// <summary>Gets the metric's phase.</summary>
    public AnalysisPhase Phase { get; init; }

    /// <summary>Gets the last measurement's outcome, or null before any.</summary>
    public MeasurementPhase? LastMeasurement { get; init; }

    /// <summary>Gets the last measurement's value (NaN for errors and when none could be computed).</summary>
    public double Value { get; init; } = double.NaN;

    /// <summary>Gets the threshold the value was compared with; for a sequential check 1, the boundary its evidence crosses. NaN when unknown.</summary>
    public double Threshold { get; init; } = double.NaN;

    /// <summary>Gets the always-valid upper bound on the weighted success-rate drop against the baseline, NaN when not computed.</summary>
    public double SuccessRateDropBound { get; init; } = double.NaN;

    /// <summary>Gets the successful measurements.</summary>
    public int Successful { get; init; }

    /// <summary>Gets the failed measurements.</summary>
    public int Failed { get; init; }

    /// <summary>Gets the inconclusive measurements.</summary>
    public int Inconclusive { get; init; }

    /// <summary>Gets the measurements that could not be taken.</summary>
    public int Errors { get; init; }

    /// <summary>Gets the last measurement's one-line reason (the check's reason or the provider's error), or the metric's message before any measurement.</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>Gets a value indicating whether the check is sequential: <see cref="Value"/> is evidence against the boundary <see cref="Threshold"/>.</summary>
    public bool IsSequential => Check is SequentialErrorRateEvaluator.CheckName or SequentialLatencyEvaluator.CheckName;
}
