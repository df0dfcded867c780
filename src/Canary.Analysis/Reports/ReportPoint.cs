using Canary.Analysis.Analysis;

namespace Canary.Analysis.Reports;

/// <summary>One measurement of a check over time: when, how it came out, its value and the threshold it was judged against.</summary>
public sealed class ReportPoint
{
    internal ReportPoint(DateTimeOffset at, MeasurementPhase phase, double value, double threshold) =>
        (At, Phase, Value, Threshold) = (at, phase, value, threshold);

    /// <summary>Gets when the measurement finished.</summary>
    public DateTimeOffset At { get; }

    /// <summary>Gets how the measurement came out.</summary>
    public MeasurementPhase Phase { get; }

    /// <summary>Gets the check's value (NaN for errors and when none could be computed).</summary>
    public double Value { get; }

    /// <summary>Gets the threshold (boundary) the value was compared with; NaN when unknown (a measurement read from a saved state).</summary>
    public double Threshold { get; }
}
