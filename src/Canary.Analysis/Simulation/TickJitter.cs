using Canary.Analysis.Simulation.Internal;

namespace Canary.Analysis.Simulation;

/// <summary>
/// When a simulated controller's timer really fires: every tick late by a seeded random delay in
/// [0, <see cref="MaximumDelay"/>), at the clock's full precision (ticks), as on a real clock. Virtual whole minutes hide
/// bugs a real clock shows (windows that are not whole milliseconds, looks that drift off the scrape grid); simulate with
/// jitter to see them.
/// </summary>
public sealed class TickJitter
{
    private const ulong Salt = 0x5EED_C0DE_0000_0007UL;

    /// <summary>Creates a jitter.</summary>
    /// <param name="seed">The seed: the same seed gives the same delays.</param>
    /// <param name="maximumDelay">The longest delay (exclusive); positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumDelay"/> is not positive.</exception>
    public TickJitter(int seed, TimeSpan maximumDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maximumDelay, TimeSpan.Zero);
        Seed = seed;
        MaximumDelay = maximumDelay;
    }

    /// <summary>Gets the seed.</summary>
    public int Seed { get; }

    /// <summary>Gets the longest delay (exclusive).</summary>
    public TimeSpan MaximumDelay { get; }

    /// <summary>A timer that fires up to a second late, at any tick: the usual controller.</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>The jitter.</returns>
    public static TickJitter SubSecond(int seed) => new(seed, TimeSpan.FromSeconds(1));

    /// <summary>Gets the delay of the <paramref name="tick"/>-th tick (a pure function of the seed and the index).</summary>
    /// <param name="tick">The tick's index (0 for the first).</param>
    /// <returns>A delay in [0, <see cref="MaximumDelay"/>).</returns>
    public TimeSpan DelayOf(long tick)
    {
        var random = new RandomStream(Seed, tick, Salt);
        var delay = (long)(random.NextDouble() * MaximumDelay.Ticks);
        return TimeSpan.FromTicks(Math.Clamp(delay, 0, MaximumDelay.Ticks - 1));
    }
}
