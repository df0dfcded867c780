using System.Globalization;
using Canary.Analysis.Analysis;

namespace Canary.Analysis.Simulation;

/// <summary>One entry of a simulation's timeline: a measurement (or a policy's observation) at a virtual time.</summary>
public sealed class SimulationEvent
{
    /// <summary>Creates an entry.</summary>
    /// <param name="time">The virtual time.</param>
    /// <param name="name">What produced it (a metric's name, a policy step).</param>
    /// <param name="phase">The measurement's phase.</param>
    /// <param name="value">The measured value (NaN when none).</param>
    /// <param name="reason">A one-line reason.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="reason"/> is null.</exception>
    public SimulationEvent(DateTimeOffset time, string name, MeasurementPhase phase, double value, string reason)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(reason);
        Time = time;
        Name = name;
        Phase = phase;
        Value = value;
        Reason = reason;
    }

    /// <summary>Gets the virtual time.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>Gets what produced the entry.</summary>
    public string Name { get; }

    /// <summary>Gets the measurement's phase.</summary>
    public MeasurementPhase Phase { get; }

    /// <summary>Gets the measured value (NaN when none).</summary>
    public double Value { get; }

    /// <summary>Gets a one-line reason.</summary>
    public string Reason { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Time:O} {Name} {Phase} {Value:0.#####}: {Reason}");
}
