namespace Canary.Analysis.Analysis;

/// <summary>A serialisable copy of one metric's progress in a run (counters, phase and last measurement).</summary>
public sealed class MetricRunSnapshot
{
    /// <summary>Gets the metric's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the metric's phase.</summary>
    public AnalysisPhase Phase { get; init; }

    /// <summary>Gets the message explaining the phase.</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>Gets the successful measurements.</summary>
    public int Successful { get; init; }

    /// <summary>Gets the failed measurements.</summary>
    public int Failed { get; init; }

    /// <summary>Gets the inconclusive measurements.</summary>
    public int Inconclusive { get; init; }

    /// <summary>Gets the measurements that could not be taken.</summary>
    public int Errors { get; init; }

    /// <summary>Gets the errors since the last conclusive measurement.</summary>
    public int ConsecutiveErrors { get; init; }

    /// <summary>Gets the successes since the last other outcome.</summary>
    public int ConsecutiveSuccesses { get; init; }

    /// <summary>Gets the last measurement's phase, if any.</summary>
    public MeasurementPhase? LastPhase { get; init; }

    /// <summary>Gets when the last measurement finished, if any.</summary>
    public DateTimeOffset? LastFinishedAt { get; init; }

    /// <summary>Gets the last measurement's value (NaN when none).</summary>
    public double LastValue { get; init; } = double.NaN;

    /// <summary>Gets the last measurement's reason.</summary>
    public string? LastReason { get; init; }
}
