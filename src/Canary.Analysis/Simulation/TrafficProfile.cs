using System.Collections.ObjectModel;
using System.Globalization;

namespace Canary.Analysis.Simulation;

/// <summary>
/// A daily traffic profile: a multiplier of the peak request rate for each hour of the (UTC) day, interpolated
/// linearly between the starts of consecutive hours (23:00 → 00:00 wraps around).
/// </summary>
/// <remarks>Multipliers are relative: they are divided by their maximum, so the busiest hour is 1.</remarks>
public sealed class TrafficProfile
{
    private readonly double[] _hours;

    /// <summary>Creates a profile from 24 hourly multipliers (00:00 … 23:00 UTC).</summary>
    /// <param name="hourlyMultipliers">24 finite, non-negative values, at least one positive.</param>
    /// <exception cref="ArgumentNullException"><paramref name="hourlyMultipliers"/> is null.</exception>
    /// <exception cref="ArgumentException">There are not 24 values, a value is negative or not finite, or all are 0.</exception>
    public TrafficProfile(IEnumerable<double> hourlyMultipliers)
    {
        ArgumentNullException.ThrowIfNull(hourlyMultipliers);
        var hours = hourlyMultipliers.ToArray();
        if (hours.Length != 24)
        {
            throw new ArgumentException($"A traffic profile needs 24 hourly multipliers, not {hours.Length}.", nameof(hourlyMultipliers));
        }

        for (var i = 0; i < hours.Length; i++)
        {
            if (!double.IsFinite(hours[i]) || hours[i] < 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Hour {i:00}: the multiplier must be finite and ≥ 0, not {hours[i]}."), nameof(hourlyMultipliers));
            }
        }

        var max = hours.Max();
        if (max <= 0)
        {
            throw new ArgumentException("A traffic profile needs at least one positive multiplier.", nameof(hourlyMultipliers));
        }

        _hours = hours.Select(h => h / max).ToArray();
        HourlyMultipliers = new ReadOnlyCollection<double>(_hours);
    }

    /// <summary>Gets the same rate at every hour.</summary>
    public static TrafficProfile Flat { get; } = new(Enumerable.Repeat(1.0, 24));

    /// <summary>
    /// Gets a typical daily profile: a night trough at 10 % of the peak around 03:00–04:00 UTC, a morning ramp, and a
    /// peak from 13:00 to 19:00 UTC.
    /// </summary>
    public static TrafficProfile Daily { get; } = new(
    [
        0.25, 0.18, 0.13, 0.10, 0.10, 0.13, 0.22, 0.38, 0.55, 0.70, 0.80, 0.88,
        0.94, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 0.92, 0.78, 0.62, 0.46, 0.34,
    ]);

    /// <summary>Gets the normalised multipliers (maximum 1), 00:00 … 23:00 UTC.</summary>
    public IReadOnlyList<double> HourlyMultipliers { get; }

    /// <summary>Gets the multiplier of the peak rate at a time (UTC hour of day, interpolated).</summary>
    /// <param name="time">The time.</param>
    /// <returns>A value in [0, 1].</returns>
    public double MultiplierAt(DateTimeOffset time)
    {
        var hours = time.UtcDateTime.TimeOfDay.TotalHours;
        var hour = (int)hours;
        var fraction = hours - hour;
        var from = _hours[hour % 24];
        var to = _hours[(hour + 1) % 24];
        return from + ((to - from) * fraction);
    }

    /// <summary>Gets the average multiplier over the day (the mean rate as a share of the peak).</summary>
    public double DailyMean => _hours.Average();
}
