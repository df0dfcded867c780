using System.Text.Json.Serialization;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Internal;
using Canary.Analysis.Metrics;

namespace Canary.Analysis.Analysis;

/// <summary>One measurement of a metric: its phase, value, reason, evidence and timestamps.</summary>
/// <remarks>
/// A value: measurements are equal (<c>==</c>) when what a saved state keeps of them is — phase, times, value and reason —
/// so a measurement read back from a saved state equals the one taken. <see cref="Evidence"/> is not saved and not compared.
/// </remarks>
public sealed record Measurement
{
    private readonly Transient<CheckResult?> _evidence;
    private readonly Transient<MetricQueryErrorKind?> _errorKind;

    /// <summary>Creates a measurement without the check's full result (as a saved state keeps it).</summary>
    /// <param name="phase">The outcome.</param>
    /// <param name="startedAt">When the measurement started.</param>
    /// <param name="finishedAt">When it finished.</param>
    /// <param name="value">The check's value (NaN for errors and when none could be computed).</param>
    /// <param name="reason">A one-line reason: the check's reason or the error message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    [JsonConstructor]
    public Measurement(MeasurementPhase phase, DateTimeOffset startedAt, DateTimeOffset finishedAt, double value, string reason)
        : this(phase, startedAt, finishedAt, value, reason, evidence: null)
    {
    }

    /// <summary>Creates a measurement.</summary>
    /// <param name="phase">The outcome.</param>
    /// <param name="startedAt">When the measurement started.</param>
    /// <param name="finishedAt">When it finished.</param>
    /// <param name="value">The check's value (NaN for errors and when none could be computed).</param>
    /// <param name="reason">A one-line reason: the check's reason or the error message.</param>
    /// <param name="evidence">The check's full result, null for errors.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    public Measurement(MeasurementPhase phase, DateTimeOffset startedAt, DateTimeOffset finishedAt, double value, string reason, CheckResult? evidence)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Phase = phase;
        StartedAt = startedAt;
        FinishedAt = finishedAt;
        Value = value;
        Reason = reason;
        _evidence = new(evidence);
    }

    /// <summary>Gets the outcome.</summary>
    public MeasurementPhase Phase { get; }

    /// <summary>Gets when the measurement started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Gets when the measurement finished; the next one is due an interval after this.</summary>
    public DateTimeOffset FinishedAt { get; }

    /// <summary>Gets the check's value, NaN for errors.</summary>
    public double Value { get; }

    /// <summary>Gets a one-line reason.</summary>
    public string Reason { get; }

    /// <summary>Gets the check's full result (per-endpoint rows), null for errors and for measurements read from a saved state.</summary>
    [JsonIgnore]
    public CheckResult? Evidence => _evidence.Value;

    /// <summary>
    /// Gets, for an <see cref="MeasurementPhase.Error"/> measurement whose query failed (<see cref="MetricQueryException"/>), what
    /// went wrong; null otherwise and for measurements read from a saved state (like <see cref="Evidence"/>, neither saved nor compared).
    /// </summary>
    [JsonIgnore]
    public MetricQueryErrorKind? ErrorKind
    {
        get => _errorKind.Value;
        init => _errorKind = new(value);
    }

    /// <inheritdoc />
    public override string ToString() => $"{FinishedAt:O} {Phase}: {Reason}";
}
