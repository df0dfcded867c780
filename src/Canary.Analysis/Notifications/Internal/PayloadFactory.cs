using System.Text.Json;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Notifications.Internal;

/// <summary>A notification as JSON data (<see cref="NotificationPayload"/>), shared by the sinks that send data rather than a message.</summary>
internal static class PayloadFactory
{
    public static NotificationPayload Data(RolloutNotification n) => new()
    {
        Id = n.Id,
        Kind = KindName(n.Kind),
        Action = JsonNamingPolicy.KebabCaseLower.ConvertName(n.Action.ToString()),
        Cause = JsonNamingPolicy.KebabCaseLower.ConvertName(n.Cause.ToString()),
        Severity = NotificationText.Severity(n),
        Rollout = n.Rollout,
        Namespace = n.Namespace,
        Policy = n.Policy,
        At = n.At,
        StartedAt = n.StartedAt,
        Step = new StepPayload(n.StepIndex, n.StepName, n.StepWeight),
        Weight = n.Weight,
        EffectiveWeight = n.EffectiveWeight,
        Title = NotificationText.Title(n),
        Reason = n.Reason,
        Finding = NotificationText.Finding(n),
        Evidence = NotificationText.Evidence(n),
        Check = n.Check is { } c ? new CheckPayload
        {
            Metric = c.Metric,
            Check = c.Check,
            Phase = JsonNamingPolicy.KebabCaseLower.ConvertName(c.Phase.ToString()),
            LastMeasurement = c.LastMeasurement is { } last ? JsonNamingPolicy.KebabCaseLower.ConvertName(last.ToString()) : null,
            Value = Finite(c.Value),
            Threshold = Finite(c.Threshold),
            Sequential = c.IsSequential,
            SuccessRateDropBound = Finite(c.SuccessRateDropBound),
            Measurements = new MeasurementCounts(c.Successful, c.Failed, c.Inconclusive, c.Errors),
            Message = c.Message,
        } : null,
        Endpoint = n.Endpoint is { } e ? new EndpointPayload
        {
            Name = e.Name,
            Status = JsonNamingPolicy.KebabCaseLower.ConvertName(e.Status.ToString()),
            Value = Finite(e.Value),
            Limit = e.Limit is { } limit ? Finite(limit) : null,
            BaselineValue = Finite(e.BaselineValue),
            Requests = Finite(e.Requests),
            Weight = Finite(e.Weight),
            Contribution = Finite(e.Contribution),
            SuccessRateDropBound = Finite(e.SuccessRateDropBound),
            EvidenceKind = EvidenceKindName(e.EvidenceKind),
            EvidenceValue = Finite(e.EvidenceValue),
            EvidenceBoundary = Finite(e.EvidenceBoundary),
        } : null,
        Command = n.Command is { } m ? new CommandPayload(JsonNamingPolicy.KebabCaseLower.ConvertName(m.Action.ToString()), m.By, m.Reason, m.At, m.AtStep) : null,
        DashboardUrl = n.DashboardUrl?.AbsoluteUri,
    };

    /// <summary>The kind in kebab case, e.g. <c>rolled-back</c>.</summary>
    public static string KindName(RolloutNotificationKind kind) => JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());

    /// <summary>An action in kebab case, e.g. <c>rollback</c>.</summary>
    public static string ActionName(RolloutAction action) => JsonNamingPolicy.KebabCaseLower.ConvertName(action.ToString());

    /// <summary>The kind of evidence as the payloads name it (<c>e-value</c>, <c>p-value</c>), null without evidence.</summary>
    public static string? EvidenceKindName(EvidenceKind kind) => kind switch
    {
        EvidenceKind.EValue => "e-value",
        EvidenceKind.PValue => "p-value",
        _ => null,
    };

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
