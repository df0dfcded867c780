namespace Canary.Analysis.Demo;

/// <summary>
/// The demo's accelerated time: a clock that moves only when the demo advances it, one simulated minute per tick.
/// </summary>
/// <remarks>
/// Only the library sees this clock (the scrape source stamps its scrapes with it, the rollout decides with it);
/// Kestrel and the HTTP client keep real time. So a 13-minute fail-fast step takes as long as its traffic takes to
/// send — a fraction of a real second per simulated minute — and the decisions are the ones real time would give.
/// </remarks>
internal sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _ticks, by.Ticks);
    }
}
