namespace Canary.Analysis.Notifications.Internal;

/// <summary>One alert of Alertmanager's v2 API (<c>postableAlert</c>).</summary>
internal sealed record AlertmanagerPayload(
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string? GeneratorURL);
