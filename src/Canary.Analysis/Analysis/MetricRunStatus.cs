using System.Text.Json.Serialization;
using Canary.Analysis.Internal;

namespace Canary.Analysis.Analysis;

/// <summary>
/// The state of one metric in a run, as an immutable value: its phase, counters, recent measurements, the range of its
/// values and its check's evidence. A new measurement makes a new value (<c>with</c>); the value is what is saved
/// (<see cref="Policies.RolloutState.ToJson"/>), so a resumed run continues from exactly this, and equal states are <c>==</c>
/// (the history compares by its measurements, the evidence by its JSON).
/// </summary>
/// <remarks>
/// History is bounded by <see cref="AnalysisMetric.HistoryLimit"/>, so a run of days keeps constant memory; the counters
/// cover every measurement. A saved measurement keeps its phase, times, value and reason, not the check's full result
/// (<see cref="Measurement.Evidence"/>); a check that keeps evidence across looks saves it in <see cref="CheckEvidence"/>.
/// </remarks>
public sealed record MetricRunStatus
{
    private readonly ValueArray<Measurement>? _history = ValueArray<Measurement>.Empty;

    /// <summary>Gets the metric's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the metric's phase.</summary>
    public AnalysisPhase Phase { get; init; } = AnalysisPhase.Pending;

    /// <summary>Gets a message explaining the phase.</summary>
    public string Message { get; init; } = "Waiting for the first measurement.";

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

    /// <summary>Gets the smallest conclusive value measured (NaN before any).</summary>
    public double MinimumValue { get; init; } = double.NaN;

    /// <summary>Gets the largest conclusive value measured (NaN before any).</summary>
    public double MaximumValue { get; init; } = double.NaN;

    /// <summary>Gets the most recent measurements, oldest first (at most <see cref="AnalysisMetric.HistoryLimit"/>).</summary>
    public IReadOnlyList<Measurement> History
    {
        get => _history!;
        init => _history = ValueArray<Measurement>.FromNullable(value);
    }

    /// <summary>
    /// Gets the evidence the metric's check keeps across looks, as it was after the last measurement (or when the run started,
    /// for a check that carries evidence from an earlier step), when the check is an <see cref="IResumableCheck"/>; null otherwise.
    /// </summary>
    public CheckEvidence? CheckEvidence { get; init; }

    /// <summary>Gets the conclusive measurements (errors excluded).</summary>
    [JsonIgnore]
    public int Count => Successful + Failed + Inconclusive;

    /// <summary>Gets the last measurement, if any.</summary>
    [JsonIgnore]
    public Measurement? Last => History.Count == 0 ? null : History[^1];

    /// <summary>Gets a value indicating whether the metric has completed.</summary>
    [JsonIgnore]
    public bool IsCompleted => Phase is AnalysisPhase.Successful or AnalysisPhase.Failed or AnalysisPhase.Inconclusive or AnalysisPhase.Error;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {Phase} ({Successful} ok, {Failed} failed, {Inconclusive} inconclusive, {Errors} errors) — {Message}";

    /// <summary>Returns the state after <paramref name="measurement"/>, keeping at most <paramref name="historyLimit"/> measurements.</summary>
    internal MetricRunStatus Record(Measurement measurement, int historyLimit, CheckEvidence? checkEvidence)
    {
        var counted = measurement.Phase switch
        {
            MeasurementPhase.Successful => this with { Successful = Successful + 1, ConsecutiveErrors = 0, ConsecutiveSuccesses = ConsecutiveSuccesses + 1 },
            MeasurementPhase.Failed => this with { Failed = Failed + 1, ConsecutiveErrors = 0, ConsecutiveSuccesses = 0 },
            MeasurementPhase.Inconclusive => this with { Inconclusive = Inconclusive + 1, ConsecutiveErrors = 0, ConsecutiveSuccesses = 0 },
            _ => this with { Errors = Errors + 1, ConsecutiveErrors = ConsecutiveErrors + 1, ConsecutiveSuccesses = 0 },
        };

        var value = measurement.Value;
        var inRange = measurement.Phase != MeasurementPhase.Error && !double.IsNaN(value);
        // The last historyLimit measurements, in a new array (never changed once the value is made).
        var keep = Math.Min(History.Count, historyLimit - 1);
        var history = new Measurement[keep + 1];
        for (var i = 0; i < keep; i++)
        {
            history[i] = History[History.Count - keep + i];
        }

        history[keep] = measurement;
        return counted with
        {
            MinimumValue = inRange && !(MinimumValue <= value) ? value : MinimumValue,
            MaximumValue = inRange && !(MaximumValue >= value) ? value : MaximumValue,
            History = ValueArray<Measurement>.Own(history),
            CheckEvidence = checkEvidence ?? CheckEvidence,
        };
    }
}
