using System.Text.Json.Serialization;

namespace Canary.Analysis.Notifications.Internal;

/// <summary>The payloads' JSON, source-generated (trimming- and AOT-safe): camelCase, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CloudEventPayload))]
[JsonSerializable(typeof(SlackPayload))]
[JsonSerializable(typeof(TeamsPayload))]
[JsonSerializable(typeof(IReadOnlyList<AlertmanagerPayload>))]
internal sealed partial class NotificationJsonContext : JsonSerializerContext;
