using System.Text.Json.Serialization;

namespace Canary.Analysis.Notifications.Internal;

/// <summary>A CloudEvents 1.0 event in the JSON format's structured mode, with a JSON <c>data</c> member.</summary>
internal sealed record CloudEventPayload(
    [property: JsonPropertyName("specversion")] string SpecVersion,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("datacontenttype")] string DataContentType,
    [property: JsonPropertyName("data")] NotificationPayload Data);

/// <summary>A notification as JSON data: every number of <see cref="RolloutNotification"/>, non-finite ones as null.</summary>
internal sealed record NotificationPayload
{
    public required string Id { get; init; }

    public required string Kind { get; init; }

    public required string Action { get; init; }

    public required string Cause { get; init; }

    public required string Severity { get; init; }

    public required string Rollout { get; init; }

    public string? Namespace { get; init; }

    public required string Policy { get; init; }

    public DateTimeOffset At { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public required StepPayload Step { get; init; }

    public int Weight { get; init; }

    public double EffectiveWeight { get; init; }

    public required string Title { get; init; }

    public required string Reason { get; init; }

    public string? Finding { get; init; }

    public string? Evidence { get; init; }

    public CheckPayload? Check { get; init; }

    public EndpointPayload? Endpoint { get; init; }

    public CommandPayload? Command { get; init; }

    public string? DashboardUrl { get; init; }
}

internal sealed record StepPayload(int Index, string? Name, int Weight);

internal sealed record CheckPayload
{
    public required string Metric { get; init; }

    public string? Check { get; init; }

    public required string Phase { get; init; }

    public string? LastMeasurement { get; init; }

    public double? Value { get; init; }

    public double? Threshold { get; init; }

    public bool Sequential { get; init; }

    public double? SuccessRateDropBound { get; init; }

    public required MeasurementCounts Measurements { get; init; }

    public required string Message { get; init; }
}

internal sealed record MeasurementCounts(int Successful, int Failed, int Inconclusive, int Errors);

internal sealed record EndpointPayload
{
    public required string Name { get; init; }

    public required string Status { get; init; }

    public double? Value { get; init; }

    public double? Limit { get; init; }

    public double? BaselineValue { get; init; }

    public double? Requests { get; init; }

    public double? Weight { get; init; }

    public double? Contribution { get; init; }

    public double? SuccessRateDropBound { get; init; }

    public string? EvidenceKind { get; init; }

    public double? EvidenceValue { get; init; }

    public double? EvidenceBoundary { get; init; }
}

internal sealed record CommandPayload(string Action, string By, string Reason, DateTimeOffset At, int AtStep);
