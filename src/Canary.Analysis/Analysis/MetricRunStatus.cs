namespace Canary.Analysis.Analysis;

/// <summary>The state of one metric in a run: its phase, counters, recent measurements and a summary of older ones.</summary>
/// <remarks>History is bounded by <see cref="AnalysisMetric.HistoryLimit"/>, so a run of days keeps constant memory; the counters cover every measurement.</remarks>
public sealed class MetricRunStatus
{
    private readonly Queue<Measurement> _history = new();

    internal MetricRunStatus(AnalysisMetric metric) => Metric = metric;

    /// <summary>Gets the metric's specification.</summary>
    public AnalysisMetric Metric { get; }

    /// <summary>Gets the metric's name.</summary>
    public string Name => Metric.Name;

    /// <summary>Gets the metric's phase.</summary>
    public AnalysisPhase Phase { get; internal set; } = AnalysisPhase.Pending;

    /// <summary>Gets a message explaining the phase.</summary>
    public string Message { get; internal set; } = "Waiting for the first measurement.";

    /// <summary>Gets the conclusive measurements (errors excluded).</summary>
    public int Count { get; private set; }

    /// <summary>Gets the successful measurements.</summary>
    public int Successful { get; private set; }

    /// <summary>Gets the failed measurements.</summary>
    public int Failed { get; private set; }

    /// <summary>Gets the inconclusive measurements.</summary>
    public int Inconclusive { get; private set; }

    /// <summary>Gets the measurements that could not be taken.</summary>
    public int Errors { get; private set; }

    /// <summary>Gets the errors since the last conclusive measurement.</summary>
    public int ConsecutiveErrors { get; private set; }

    /// <summary>Gets the successes since the last other outcome.</summary>
    public int ConsecutiveSuccesses { get; private set; }

    /// <summary>Gets the most recent measurements, oldest first (at most <see cref="AnalysisMetric.HistoryLimit"/>).</summary>
    public IReadOnlyCollection<Measurement> History => _history;

    /// <summary>Gets the last measurement, if any.</summary>
    public Measurement? Last { get; private set; }

    /// <summary>Gets the smallest conclusive value measured (NaN before any).</summary>
    public double MinimumValue { get; private set; } = double.NaN;

    /// <summary>Gets the largest conclusive value measured (NaN before any).</summary>
    public double MaximumValue { get; private set; } = double.NaN;

    /// <summary>Gets a value indicating whether the metric has completed.</summary>
    public bool IsCompleted => Phase is AnalysisPhase.Successful or AnalysisPhase.Failed or AnalysisPhase.Inconclusive or AnalysisPhase.Error;

    /// <summary>Gets or sets the last measurement when the run last wrote a Running message, so the message is formatted once per measurement.</summary>
    internal Measurement? RunningMessageOf { get; set; }

    /// <summary>
    /// Returns whether <paramref name="snapshot"/> holds exactly what <see cref="ToSnapshot"/> would copy now (keep the two
    /// in step). Strict: a false "no" only costs a new snapshot.
    /// </summary>
    internal bool IsDescribedBy(MetricRunSnapshot snapshot) =>
        string.Equals(snapshot.Name, Name, StringComparison.Ordinal)
        && snapshot.Phase == Phase
        && string.Equals(snapshot.Message, Message, StringComparison.Ordinal)
        && (snapshot.Successful, snapshot.Failed, snapshot.Inconclusive, snapshot.Errors) == (Successful, Failed, Inconclusive, Errors)
        && (snapshot.ConsecutiveErrors, snapshot.ConsecutiveSuccesses) == (ConsecutiveErrors, ConsecutiveSuccesses)
        && (Last is { } last
            ? snapshot.LastPhase == last.Phase
              && snapshot.LastFinishedAt is { } at && at.EqualsExact(last.FinishedAt)
              && BitConverter.DoubleToInt64Bits(snapshot.LastValue) == BitConverter.DoubleToInt64Bits(last.Value)
              && string.Equals(snapshot.LastReason, last.Reason, StringComparison.Ordinal)
            : snapshot.LastPhase is null && snapshot.LastFinishedAt is null && snapshot.LastReason is null
              && BitConverter.DoubleToInt64Bits(snapshot.LastValue) == BitConverter.DoubleToInt64Bits(double.NaN));

    internal MetricRunSnapshot ToSnapshot() => new()
    {
        Name = Name,
        Phase = Phase,
        Message = Message,
        Successful = Successful,
        Failed = Failed,
        Inconclusive = Inconclusive,
        Errors = Errors,
        ConsecutiveErrors = ConsecutiveErrors,
        ConsecutiveSuccesses = ConsecutiveSuccesses,
        LastPhase = Last?.Phase,
        LastFinishedAt = Last?.FinishedAt,
        LastValue = Last?.Value ?? double.NaN,
        LastReason = Last?.Reason,
    };

    internal void Restore(MetricRunSnapshot snapshot)
    {
        (Phase, Message) = (snapshot.Phase, snapshot.Message);
        (Successful, Failed, Inconclusive, Errors) = (snapshot.Successful, snapshot.Failed, snapshot.Inconclusive, snapshot.Errors);
        Count = Successful + Failed + Inconclusive;
        (ConsecutiveErrors, ConsecutiveSuccesses) = (snapshot.ConsecutiveErrors, snapshot.ConsecutiveSuccesses);
        _history.Clear();
        Last = null;
        if (snapshot.LastPhase is { } phase && snapshot.LastFinishedAt is { } at)
        {
            Last = new Measurement(phase, at, at, snapshot.LastValue, snapshot.LastReason ?? string.Empty, evidence: null);
            _history.Enqueue(Last);
        }
    }

    internal void Record(Measurement measurement)
    {
        switch (measurement.Phase)
        {
            case MeasurementPhase.Successful:
                Successful++;
                Count++;
                ConsecutiveErrors = 0;
                ConsecutiveSuccesses++;
                break;
            case MeasurementPhase.Failed:
            case MeasurementPhase.Inconclusive:
                if (measurement.Phase == MeasurementPhase.Failed)
                {
                    Failed++;
                }
                else
                {
                    Inconclusive++;
                }

                Count++;
                ConsecutiveErrors = 0;
                ConsecutiveSuccesses = 0;
                break;
            default:
                Errors++;
                ConsecutiveErrors++;
                ConsecutiveSuccesses = 0;
                break;
        }

        if (measurement.Phase != MeasurementPhase.Error && !double.IsNaN(measurement.Value))
        {
            MinimumValue = double.IsNaN(MinimumValue) ? measurement.Value : Math.Min(MinimumValue, measurement.Value);
            MaximumValue = double.IsNaN(MaximumValue) ? measurement.Value : Math.Max(MaximumValue, measurement.Value);
        }

        Last = measurement;
        _history.Enqueue(measurement);
        while (_history.Count > Metric.HistoryLimit)
        {
            _history.Dequeue();
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {Phase} ({Successful} ok, {Failed} failed, {Inconclusive} inconclusive, {Errors} errors) — {Message}";
}
