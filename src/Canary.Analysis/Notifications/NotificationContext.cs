namespace Canary.Analysis.Notifications;

/// <summary>
/// What a <see cref="Policies.RolloutDecision"/> does not know about itself and a message needs: the rollout's name (the
/// controller's, e.g. the Kubernetes object), its namespace, and where its dashboard is.
/// </summary>
public sealed class NotificationContext
{
    /// <summary>Gets the rollout's name.</summary>
    public required string Rollout { get; init; }

    /// <summary>Gets the rollout's namespace, or null.</summary>
    /// <value>The default value is null.</value>
    public string? Namespace { get; init; }

    /// <summary>
    /// Gets the dashboard link template, or null for no link: an absolute http(s) URL in which <c>{rollout}</c>,
    /// <c>{namespace}</c>, <c>{policy}</c> and <c>{step}</c> (1-based) are replaced by their URL-escaped values, and
    /// <c>{from}</c> / <c>{to}</c> by the rollout's start and the decision's time in Unix milliseconds (Grafana's
    /// <c>from=</c> and <c>to=</c>), e.g.
    /// <c>https://grafana.example.com/d/canary-rollouts?var-rollout={rollout}&amp;var-namespace={namespace}&amp;from={from}&amp;to={to}</c>.
    /// </summary>
    /// <value>The default value is null.</value>
    public string? DashboardUrlTemplate { get; init; }
}
