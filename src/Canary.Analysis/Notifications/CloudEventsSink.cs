using System.Text.Json;
using Canary.Analysis.Notifications.Internal;

namespace Canary.Analysis.Notifications;

/// <summary>
/// Posts a notification to a generic webhook as a CloudEvents 1.0 event, JSON format in structured mode
/// (<c>Content-Type: application/cloudevents+json</c>): <c>specversion</c>, <c>id</c> (the notification's), <c>source</c>,
/// <c>type</c> (<c>io.canary-analysis.rollout.</c> and the kind, e.g. <c>io.canary-analysis.rollout.rolled-back</c>),
/// <c>subject</c> (the rollout), <c>time</c>, <c>datacontenttype</c> (<c>application/json</c>) and the notification as <c>data</c>.
/// </summary>
public sealed class CloudEventsSink : INotificationSink, IDisposable
{
    /// <summary>The prefix of every event type.</summary>
    public const string TypePrefix = "io.canary-analysis.rollout.";

    /// <summary>The media type of a structured-mode JSON event.</summary>
    public const string MediaType = "application/cloudevents+json";

    private readonly WebhookTransport _transport;

    /// <summary>Creates the sink.</summary>
    /// <param name="address">The webhook's URL (a secret: never shown).</param>
    /// <param name="options">How to reach it, or null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    /// <exception cref="ArgumentException">The address is not an absolute http(s) URL.</exception>
    public CloudEventsSink(Uri address, NotificationSinkOptions? options = null) => _transport = new WebhookTransport(address, options, "cloudevents");

    /// <summary>
    /// Gets the event's <c>source</c> (a URI reference), or null for <c>/canary-analysis/{namespace}/{rollout}</c> (the
    /// namespace segment left out when there is none; both URL-escaped).
    /// </summary>
    /// <value>The default value is null.</value>
    public string? Source { get; init; }

    /// <inheritdoc />
    public string Name => _transport.Name;

    /// <summary>Renders a notification as the event's JSON (what <see cref="SendAsync"/> posts).</summary>
    /// <param name="notification">The notification.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="notification"/> is null.</exception>
    public string Render(RolloutNotification notification) => System.Text.Encoding.UTF8.GetString(Body(notification));

    /// <inheritdoc />
    public Task SendAsync(RolloutNotification notification, CancellationToken cancellationToken = default) =>
        _transport.PostAsync(Body(notification), MediaType, relative: null, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();

    /// <inheritdoc />
    public override string ToString() => Name;

    private byte[] Body(RolloutNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var source = Source ?? (notification.Namespace is { } ns
            ? $"/canary-analysis/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(notification.Rollout)}"
            : $"/canary-analysis/{Uri.EscapeDataString(notification.Rollout)}");
        var payload = new CloudEventPayload(
            "1.0",
            notification.Id,
            source,
            TypePrefix + PayloadFactory.KindName(notification.Kind),
            notification.Rollout,
            notification.At,
            "application/json",
            PayloadFactory.Data(notification));
        return JsonSerializer.SerializeToUtf8Bytes(payload, NotificationJsonContext.Default.CloudEventPayload);
    }
}
