using System.Globalization;
using System.Text;
using System.Text.Json;
using Canary.Analysis.Notifications.Internal;

namespace Canary.Analysis.Notifications;

/// <summary>
/// Posts a notification to a Slack incoming webhook as a Block Kit message: a header, the reason, the deciding endpoint's
/// value against its limit with n, the evidence, the step and weight, the command, and a button to the dashboard.
/// </summary>
public sealed class SlackSink : INotificationSink, IDisposable
{
    private const int HeaderLimit = 150;
    private const int TextLimit = 3000;
    private readonly WebhookTransport _transport;

    /// <summary>Creates the sink.</summary>
    /// <param name="webhook">The incoming webhook's URL (<c>https://hooks.slack.com/services/…</c>; a secret: never shown).</param>
    /// <param name="options">How to reach it, or null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="webhook"/> is null.</exception>
    /// <exception cref="ArgumentException">The address is not an absolute http(s) URL.</exception>
    public SlackSink(Uri webhook, NotificationSinkOptions? options = null) => _transport = new WebhookTransport(webhook, options, "slack");

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
        var title = NotificationText.Title(n);
        var finding = NotificationText.Finding(n);
        var fields = NotificationText.Facts(n).ConvertAll(fact => Field(fact.Title, fact.Text));
        var blocks = new List<SlackBlock>
        {
            new SlackHeaderBlock(new SlackText("plain_text", Cut($"{Icon(n)} {title}", HeaderLimit))),
            new SlackSectionBlock { Text = new SlackText("mrkdwn", Cut(Escape(n.Reason), TextLimit)) },
            new SlackSectionBlock { Fields = fields },
            new SlackContextBlock([new SlackText("mrkdwn", Escape(string.Create(CultureInfo.InvariantCulture, $"policy {n.Policy} · {PayloadFactory.KindName(n.Kind)} · {n.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC · id {n.Id}")))]),
        };
        if (n.DashboardUrl is { } link)
        {
            blocks.Add(new SlackActionsBlock([new SlackButton(new SlackText("plain_text", "Open dashboard"), link.AbsoluteUri)]));
        }

        var text = finding is null ? title : $"{title} — {finding}";
        return JsonSerializer.SerializeToUtf8Bytes(new SlackPayload(Escape(text), blocks), NotificationJsonContext.Default.SlackPayload);
    }

    private static SlackText Field(string name, string value) => new("mrkdwn", Cut($"*{name}*\n{Escape(value)}", 2000));

    private static string Icon(RolloutNotification n) => NotificationText.Severity(n) switch
    {
        "critical" => "🔴",
        "warning" => "🟡",
        _ => n.Kind == RolloutNotificationKind.Promoted ? "🟢" : "🔵",
    };

    /// <summary>Slack's mrkdwn escaping: the three characters it treats as markup.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Cut(string text, int limit) => text.Length <= limit ? text : string.Concat(text.AsSpan(0, limit - 1), "…");
}
