using Canary.Analysis.Policies.Events;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>An observer that keeps every event and counts completions.</summary>
internal sealed class EventCollector : IObserver<RolloutEvent>
{
    public List<RolloutEvent> Events { get; } = [];

    public int Completed { get; private set; }

    public void OnCompleted() => Completed++;

    public void OnError(Exception error) => throw new InvalidOperationException("a rollout never reports an error", error);

    public void OnNext(RolloutEvent value) => Events.Add(value);

    public IEnumerable<T> Of<T>()
        where T : RolloutEvent => Events.OfType<T>();
}
