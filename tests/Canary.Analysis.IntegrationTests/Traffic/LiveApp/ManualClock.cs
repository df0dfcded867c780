namespace Canary.Analysis.IntegrationTests.Traffic.LiveApp;

/// <summary>A clock that only moves when told to (timestamps the sources' scrapes).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
