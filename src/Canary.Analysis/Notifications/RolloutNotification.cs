using Canary.Analysis.Notifications.Internal;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Notifications;

/// <summary>
/// A decision worth a message, as data: what happened (<see cref="Kind"/>, <see cref="Action"/>, <see cref="Cause"/>), to which
/// rollout, the deciding check and endpoint with their numbers, the human command, the reason line and the dashboard link.
/// Built from a <see cref="RolloutDecision"/> by <see cref="FromDecision"/>, a pure function of the decision's data (it never
/// reads the reason text); sinks render it (<see cref="INotificationSink"/>).
/// </summary>
public sealed record RolloutNotification
{
    /// <summary>
    /// Gets the notification's identity: the same decision of the same rollout gives the same id (a hash of the rollout,
    /// namespace, kind, cause, step, decision time and command), so a notification is recognised when published again
    /// (<see cref="NotificationDispatcher"/>) and by receivers (the CloudEvents <c>id</c>).
    /// </summary>
    public required string Id { get; init; }

    /// <summary>Gets what the notification tells.</summary>
    public required RolloutNotificationKind Kind { get; init; }

    /// <summary>Gets what the rollout does.</summary>
    public required RolloutAction Action { get; init; }

    /// <summary>Gets why, as typed data.</summary>
    public required DecisionCause Cause { get; init; }

    /// <summary>Gets the rollout's name.</summary>
    public required string Rollout { get; init; }

    /// <summary>Gets the rollout's namespace, or null.</summary>
    public string? Namespace { get; init; }

    /// <summary>Gets the policy's name.</summary>
    public required string Policy { get; init; }

    /// <summary>Gets when the decision was made.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Gets when the rollout started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets the index of the step that decided (0-based).</summary>
    public int StepIndex { get; init; }

    /// <summary>Gets the deciding step's name (an analysis step's), or null.</summary>
    public string? StepName { get; init; }

    /// <summary>Gets the canary weight while the deciding step ran, in percent.</summary>
    public int StepWeight { get; init; }

    /// <summary>Gets the canary weight requested after the decision, in percent (0 after a rollback, 100 after promotion).</summary>
    public int Weight { get; init; }

    /// <summary>Gets the canary's real share of traffic after the decision, in percent.</summary>
    public double EffectiveWeight { get; init; }

    /// <summary>Gets the decision's one-line reason (<see cref="RolloutDecision.Reason"/>): a view for humans, never read back.</summary>
    public required string Reason { get; init; }

    /// <summary>Gets the metric that decided with its check's numbers, or null when no analysis was involved.</summary>
    public NotifiedCheck? Check { get; init; }

    /// <summary>Gets the endpoint that decided the check, or null when the check as a whole decided (or kept no breakdown).</summary>
    public NotifiedEndpoint? Endpoint { get; init; }

    /// <summary>Gets the human command this notification follows from, or null.</summary>
    public ManualOverride? Command { get; init; }

    /// <summary>Gets the dashboard link (<see cref="NotificationContext.DashboardUrlTemplate"/>), or null.</summary>
    public Uri? DashboardUrl { get; init; }

    /// <summary>
    /// Builds the notification of a decision, or returns null when the decision is not worth a message: nothing changed
    /// (<see cref="RolloutAction.Continue"/>), a step advanced, or a settled rollout repeats its outcome.
    /// </summary>
    /// <param name="decision">The decision.</param>
    /// <param name="context">The rollout's name, namespace and dashboard link template.</param>
    /// <returns>The notification, or null.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The rollout's name is empty, or the dashboard template is not an absolute http(s) URL.</exception>
    public static RolloutNotification? FromDecision(RolloutDecision decision, NotificationContext context) => DecisionReader.Read(decision, context);
}
