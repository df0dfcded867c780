using System.Globalization;
using System.Text;
using System.Text.Json;
using Canary.Analysis.Notifications.Internal;

namespace Canary.Analysis.Notifications;

/// <summary>
/// Posts a notification to Microsoft Teams through a Workflows webhook ("When a Teams webhook request is received"): a
/// message with one Adaptive Card (1.4) holding the title, the reason, the deciding endpoint's value against its limit with n,
/// the evidence, the step and weight, the command, and a button to the dashboard. Adaptive Cards render a Markdown subset in
/// text blocks and facts: every text is escaped so that label values and endpoint names show as written.
/// </summary>
public sealed class TeamsSink : INotificationSink, IDisposable
{
    private readonly WebhookTransport _transport;

    /// <summary>Creates the sink.</summary>
    /// <param name="webhook">The workflow's webhook URL (it carries a signature: a secret, never shown).</param>
    /// <param name="options">How to reach it, or null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="webhook"/> is null.</exception>
    /// <exception cref="ArgumentException">The address is not an absolute http(s) URL.</exception>
    public TeamsSink(Uri webhook, NotificationSinkOptions? options = null) => _transport = new WebhookTransport(webhook, options, "teams");

    /// <inheritdoc />
    public string Name => _transport.Name;

    /// <summary>Renders a notification as the message's JSON (what <see cref="SendAsync"/> posts).</summary>
    /// <param name="notification">The notification.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="notification"/> is null.</exception>
    public static string Render(RolloutNotification notification) => Encoding.UTF8.GetString(Body(notification));

    /// <inheritdoc />
    public Task SendAsync(RolloutNotification notification, CancellationToken cancellationToken = default) =>
        _transport.PostAsync(Body(notification), "application/json", relative: null, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();

    /// <inheritdoc />
    public override string ToString() => Name;

    private static byte[] Body(RolloutNotification n)
    {
        ArgumentNullException.ThrowIfNull(n);
        // Text blocks and facts render Markdown: every text is escaped (label values, endpoint names and reasons are anyone's).
        var facts = NotificationText.Facts(n).ConvertAll(fact => new AdaptiveFact(AdaptiveCardText.Escape(fact.Title), AdaptiveCardText.Escape(fact.Text)));
        facts.Add(new AdaptiveFact("Policy", AdaptiveCardText.Escape(n.Policy)));
        var color = NotificationText.Severity(n) switch
        {
            "critical" => "Attention",
            "warning" => "Warning",
            _ => n.Kind == RolloutNotificationKind.Promoted ? "Good" : "Default",
        };
        var body = new List<AdaptiveElement>
        {
            new AdaptiveTextBlock(AdaptiveCardText.Escape(NotificationText.Title(n))) { Weight = "Bolder", Size = "Medium", Color = color },
            new AdaptiveTextBlock(AdaptiveCardText.Escape(n.Reason)),
            new AdaptiveFactSet(facts),
            new AdaptiveTextBlock(string.Create(CultureInfo.InvariantCulture, $"{n.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC · id {n.Id}")) { IsSubtle = true, Size = "Small" },
        };
        var actions = n.DashboardUrl is { } link ? new[] { new AdaptiveOpenUrl("Open dashboard", link.AbsoluteUri) } : null;
        var payload = new TeamsPayload([new TeamsAttachment(new AdaptiveCard(body, actions))]);
        return JsonSerializer.SerializeToUtf8Bytes(payload, NotificationJsonContext.Default.TeamsPayload);
    }
}
