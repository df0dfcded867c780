using System.Text.Json.Serialization;

namespace Canary.Analysis.Notifications.Internal;

/// <summary>What a Teams Workflows webhook takes: a message with one Adaptive Card attachment.</summary>
internal sealed record TeamsPayload(IReadOnlyList<TeamsAttachment> Attachments)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "message";
}

internal sealed record TeamsAttachment(AdaptiveCard Content)
{
    [JsonPropertyOrder(-1)]
    public string ContentType { get; init; } = "application/vnd.microsoft.card.adaptive";
}

internal sealed record AdaptiveCard(IReadOnlyList<AdaptiveElement> Body, IReadOnlyList<AdaptiveOpenUrl>? Actions)
{
    [JsonPropertyName("$schema")]
    [JsonPropertyOrder(-3)]
    public string Schema { get; init; } = "http://adaptivecards.io/schemas/adaptive-card.json";

    [JsonPropertyOrder(-2)]
    public string Type { get; init; } = "AdaptiveCard";

    [JsonPropertyOrder(-1)]
    public string Version { get; init; } = "1.4";
}

/// <summary>An Adaptive Card body element (written by its own type; no discriminator).</summary>
[JsonDerivedType(typeof(AdaptiveTextBlock))]
[JsonDerivedType(typeof(AdaptiveFactSet))]
internal abstract record AdaptiveElement
{
    [JsonPropertyOrder(-1)]
    public abstract string Type { get; }
}

internal sealed record AdaptiveTextBlock(string Text) : AdaptiveElement
{
    [JsonPropertyOrder(-1)]
    public override string Type => "TextBlock";

    public bool Wrap { get; init; } = true;

    public string? Weight { get; init; }

    public string? Size { get; init; }

    public string? Color { get; init; }

    public bool? IsSubtle { get; init; }
}

internal sealed record AdaptiveFactSet(IReadOnlyList<AdaptiveFact> Facts) : AdaptiveElement
{
    [JsonPropertyOrder(-1)]
    public override string Type => "FactSet";
}

internal sealed record AdaptiveFact(string Title, string Value);

internal sealed record AdaptiveOpenUrl(string Title, string Url)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "Action.OpenUrl";
}
