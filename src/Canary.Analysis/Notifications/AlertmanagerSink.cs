using System.Globalization;
using System.Text;
using System.Text.Json;
using Canary.Analysis.Evaluation.Internal;
using Canary.Analysis.Notifications.Internal;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Notifications;

/// <summary>
/// Posts a notification to Alertmanager's v2 API (<c>POST /api/v2/alerts</c>) as one alert per rollout, identified by its
/// labels <c>alertname="CanaryRolloutUnhealthy"</c>, <c>rollout</c>, <c>namespace</c> (when known) and <see cref="Labels"/>:
/// it fires on a rollback (analysis failed, provider error, a human's abort) and on a pause for an inconclusive analysis,
/// and is resolved (<c>endsAt</c> = the decision's time) when the rollout is promoted, retried or resumed. Other notifications
/// send nothing. Annotations carry the summary, the reason, the deciding endpoint with its value, limit (on the same scale; absent
/// when it has none), baseline value, n and its own evidence against its boundary (<c>endpoint_evidence</c>,
/// <c>endpoint_evidence_boundary</c>, <c>endpoint_evidence_kind</c>), the check's evidence and the dashboard link (also the
/// alert's <c>generatorURL</c>).
/// </summary>
public sealed class AlertmanagerSink : INotificationSink, IDisposable
{
    /// <summary>The alert's name.</summary>
    public const string AlertName = "CanaryRolloutUnhealthy";

    private readonly WebhookTransport _transport;
    private readonly IReadOnlyDictionary<string, string> _labels = new Dictionary<string, string>();
    private readonly TimeSpan _firingDuration = TimeSpan.FromHours(24);

    /// <summary>Creates the sink.</summary>
    /// <param name="alertmanager">Alertmanager's base URL, e.g. <c>http://alertmanager:9093/</c> (may carry basic-auth credentials; never shown).</param>
    /// <param name="options">How to reach it, or null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="alertmanager"/> is null.</exception>
    /// <exception cref="ArgumentException">The address is not an absolute http(s) URL.</exception>
    public AlertmanagerSink(Uri alertmanager, NotificationSinkOptions? options = null) => _transport = new WebhookTransport(alertmanager, options, "alertmanager");

    /// <summary>
    /// Gets labels added to every alert (e.g. <c>severity</c>, <c>team</c>) for routing; they are part of the alert's identity.
    /// The sink's own labels (<c>alertname</c>, <c>rollout</c>, <c>namespace</c>) cannot be replaced.
    /// </summary>
    /// <value>The default value is empty.</value>
    /// <exception cref="ArgumentException">A label name is not a valid Prometheus label name, or is one of the sink's own.</exception>
    public IReadOnlyDictionary<string, string> Labels
    {
        get => _labels;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            foreach (var name in value.Keys)
            {
                if (!IsLabelName(name) || name is "alertname" or "rollout" or "namespace")
                {
                    throw new ArgumentException($"'{name}' is not a label name the sink can add.", nameof(value));
                }
            }

            _labels = new Dictionary<string, string>(value, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Gets how long a firing alert lasts unless sent again or resolved (its <c>endsAt</c> after the decision): a rolled-back
    /// rollout is not ticked again, so the alert must not resolve itself after Alertmanager's <c>resolve_timeout</c>.
    /// </summary>
    /// <value>The default value is 24 hours.</value>
    /// <exception cref="ArgumentOutOfRangeException">The duration is not positive.</exception>
    public TimeSpan FiringDuration
    {
        get => _firingDuration;
        init => _firingDuration = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The duration must be positive.");
    }

    /// <inheritdoc />
    public string Name => _transport.Name;

    /// <summary>Renders a notification as the request's JSON, or null when the sink sends nothing for it.</summary>
    /// <param name="notification">The notification.</param>
    /// <returns>The JSON text, or null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="notification"/> is null.</exception>
    public string? Render(RolloutNotification notification) => Body(notification) is { } body ? Encoding.UTF8.GetString(body) : null;

    /// <inheritdoc />
    public Task SendAsync(RolloutNotification notification, CancellationToken cancellationToken = default) =>
        Body(notification) is { } body ? _transport.PostAsync(body, "application/json", "api/v2/alerts", cancellationToken) : Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Whether a notification fires the alert (true), resolves it (false), or leaves it alone (null).</summary>
    internal static bool? Fires(RolloutNotification n) => n.Kind switch
    {
        RolloutNotificationKind.RolledBack or RolloutNotificationKind.ProviderError or RolloutNotificationKind.PausedInconclusive => true,
        RolloutNotificationKind.Promoted => false,
        RolloutNotificationKind.ManualOverride => n.Command?.Action switch
        {
            ManualAction.Abort => true,
            ManualAction.Promote or ManualAction.Retry or ManualAction.Resume => false,
            _ => null,
        },
        _ => null,
    };

    private static bool IsLabelName(string name) =>
        name.Length > 0 && !name.StartsWith("__", StringComparison.Ordinal) && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private byte[]? Body(RolloutNotification n)
    {
        ArgumentNullException.ThrowIfNull(n);
        if (Fires(n) is not { } firing)
        {
            return null;
        }

        var labels = new Dictionary<string, string>(_labels, StringComparer.Ordinal)
        {
            ["alertname"] = AlertName,
            ["rollout"] = n.Rollout,
        };
        if (n.Namespace is { } ns)
        {
            labels["namespace"] = ns;
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = NotificationText.Title(n),
            ["description"] = n.Reason,
            ["kind"] = PayloadFactory.KindName(n.Kind),
            ["action"] = PayloadFactory.ActionName(n.Action),
            ["policy"] = n.Policy,
            ["step"] = (n.StepIndex + 1).ToString(CultureInfo.InvariantCulture),
            ["notification_id"] = n.Id,
        };
        Add(annotations, "finding", NotificationText.Finding(n));
        Add(annotations, "evidence", NotificationText.Evidence(n));
        Add(annotations, "command", NotificationText.CommandLine(n));
        Add(annotations, "dashboard", n.DashboardUrl?.AbsoluteUri);
        if (n.Check is { } check)
        {
            annotations["metric"] = check.Metric;
            Add(annotations, "check", check.Check);
        }

        if (n.Endpoint is { } endpoint)
        {
            annotations["endpoint"] = endpoint.Name;
            annotations["value"] = NotificationText.Number(endpoint.Value);
            annotations["requests"] = Format.Count(endpoint.Requests);
            Add(annotations, "limit", endpoint.Limit is { } limit ? NotificationText.Number(limit) : null);
            Add(annotations, "baseline_value", double.IsFinite(endpoint.BaselineValue) ? NotificationText.Number(endpoint.BaselineValue) : null);
            if (PayloadFactory.EvidenceKindName(endpoint.EvidenceKind) is { } kind && !double.IsNaN(endpoint.EvidenceValue))
            {
                annotations["endpoint_evidence_kind"] = kind;
                annotations["endpoint_evidence"] = NotificationText.Significant(endpoint.EvidenceValue);
                annotations["endpoint_evidence_boundary"] = NotificationText.Significant(endpoint.EvidenceBoundary);
            }
        }

        var alert = firing
            ? new AlertmanagerPayload(labels, annotations, n.At, n.At + _firingDuration, n.DashboardUrl?.AbsoluteUri)
            : new AlertmanagerPayload(labels, annotations, n.StartedAt < n.At ? n.StartedAt : n.At, n.At, n.DashboardUrl?.AbsoluteUri);
        return JsonSerializer.SerializeToUtf8Bytes<IReadOnlyList<AlertmanagerPayload>>([alert], NotificationJsonContext.Default.IReadOnlyListAlertmanagerPayload);
    }

    private static void Add(Dictionary<string, string> annotations, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            annotations[name] = value;
        }
    }
}
