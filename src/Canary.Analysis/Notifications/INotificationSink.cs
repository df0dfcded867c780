namespace Canary.Analysis.Notifications;

/// <summary>Delivers a <see cref="RolloutNotification"/> somewhere (a webhook, a chat, Alertmanager): one attempt per call.</summary>
/// <remarks>
/// A sink renders and sends; retries, deduplication and running in the background belong to <see cref="NotificationDispatcher"/>.
/// A sink holds its receiver's address as a secret: <see cref="Name"/> and its exceptions never show it.
/// </remarks>
public interface INotificationSink
{
    /// <summary>Gets a name fit for logs: the kind of sink and its receiver's host, never its path, query or credentials.</summary>
    string Name { get; }

    /// <summary>Sends one notification once.</summary>
    /// <param name="notification">The notification.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>A task that completes when the receiver accepted the notification (or the sink chose to send nothing for it).</returns>
    /// <exception cref="NotificationDeliveryException">The receiver could not be reached, did not answer in time, or refused.</exception>
    Task SendAsync(RolloutNotification notification, CancellationToken cancellationToken = default);
}
