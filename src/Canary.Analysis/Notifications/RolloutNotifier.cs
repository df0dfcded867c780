using Canary.Analysis.Policies;
using Canary.Analysis.Policies.Events;

namespace Canary.Analysis.Notifications;

/// <summary>
/// Sends a rollout's notifications: subscribe it to a <see cref="CanaryRollout"/> (<c>rollout.Subscribe(notifier)</c>) and every
/// event worth a message — rolled back, promoted, paused inconclusive, analysis failed, provider error, manual override —
/// publishes its decision through the dispatcher, in the background. Events raised by one decision send one message (the
/// dispatcher deduplicates by the decision's id); looks, weight changes, step completions and heartbeats send none.
/// </summary>
/// <example>
/// <code>
/// using var subscription = rollout.Subscribe(new RolloutNotifier(dispatcher, new NotificationContext { Rollout = "checkout", Namespace = "shop" }));
/// </code>
/// </example>
public sealed class RolloutNotifier : IObserver<RolloutEvent>
{
    private readonly NotificationDispatcher _dispatcher;
    private readonly NotificationContext _context;

    /// <summary>Creates the notifier.</summary>
    /// <param name="dispatcher">Sends the notifications (it is not disposed by the notifier).</param>
    /// <param name="context">The rollout's name, namespace and dashboard link template.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public RolloutNotifier(NotificationDispatcher dispatcher, NotificationContext context)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(context);
        _dispatcher = dispatcher;
        _context = context;
    }

    /// <inheritdoc />
    /// <remarks>Returns at once: the dispatcher queues the message and sends it on its own worker.</remarks>
    public void OnNext(RolloutEvent value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Kind is RolloutEventKind.RolledBack or RolloutEventKind.Promoted or RolloutEventKind.PausedInconclusive
            or RolloutEventKind.AnalysisFailed or RolloutEventKind.ProviderError or RolloutEventKind.ManualOverride)
        {
            _dispatcher.Publish(value.Decision, _context);
        }
    }

    /// <inheritdoc />
    public void OnError(Exception error)
    {
    }

    /// <inheritdoc />
    public void OnCompleted()
    {
    }
}
