using Canary.Analysis.Policies;

namespace Canary.Analysis.Hosting.Internal;

/// <summary>
/// One rollout in a host: the rollout in memory (when it is being run), the version of the state it was read at or last saved,
/// when to look at it next, and its published status. Served by one task at a time; <see cref="Status"/> is read from any thread.
/// </summary>
internal sealed class RolloutSlot(string id, DateTimeOffset dueAt)
{
    private readonly List<IDisposable> _subscriptions = [];
    private volatile HostedRolloutStatus _status = new(id, HostedRolloutHealth.Pending, null, null, dueAt, 0);

    public string Id { get; } = id;

    public DateTimeOffset DueAt { get; private set; } = dueAt;

    public CanaryRollout? Rollout { get; private set; }

    /// <summary>Gets the version of the saved state <see cref="Rollout"/> continues (null: none saved yet).</summary>
    public string? Version { get; set; }

    /// <summary>Gets the state object last saved (or read), to save only a changed state.</summary>
    public RolloutState? SavedState { get; set; }

    /// <summary>Gets the version of the saved state a waiting (ended, refused) rollout was judged on: re-judged only when it changes.</summary>
    public string? WaitingOnVersion { get; set; }

    /// <summary>Gets or sets when <see cref="Rollout"/> is next ticked (its decision's next tick, or later in backoff); a wake-up before it only renews the lease.</summary>
    public DateTimeOffset TickAt { get; set; } = DateTimeOffset.MinValue;

    public int Failures { get; set; }

    public bool StoreFailing { get; set; }

    public bool HoldsLease { get; set; }

    public HostedRolloutStatus Status => _status;

    public void Run(CanaryRollout rollout, string? version, IEnumerable<IDisposable> subscriptions)
    {
        Drop();
        (Rollout, Version, SavedState, WaitingOnVersion, TickAt) = (rollout, version, version is null ? null : rollout.State, null, DateTimeOffset.MinValue);
        _subscriptions.AddRange(subscriptions);
    }

    /// <summary>Forgets the rollout in memory (unsubscribing its observers): it is read again from the store before its next tick.</summary>
    public void Drop()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _subscriptions.Clear();
        (Rollout, Version, SavedState) = (null, null, null);
    }

    public void Publish(HostedRolloutHealth health, string? reason, DateTimeOffset dueAt, RolloutDecision? decision = null, int providerErrors = 0)
    {
        DueAt = dueAt;
        _status = new HostedRolloutStatus(Id, health, reason, decision ?? _status.LastDecision, dueAt, Math.Max(Failures, providerErrors));
    }
}
