namespace Canary.Analysis.Tests.Metrics.Datadog;

/// <summary>
/// Loads the JSON bodies under <c>Fixtures/</c>. They are hand-written from Datadog's public API documentation
/// (documented response shapes), not recorded from a live account.
/// </summary>
internal static class DatadogFixture
{
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Metrics", "Datadog", "Fixtures", name));
}

/// <summary>A clock whose timers fire at once and which records the delays asked for.</summary>
internal sealed class ImmediateTimeProvider : TimeProvider
{
    public List<TimeSpan> Delays { get; } = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (Delays)
        {
            Delays.Add(dueTime);
        }

        return System.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
