using System.Text.Json.Serialization;

namespace Canary.Analysis.Notifications.Internal;

/// <summary>A Slack incoming-webhook message: a fallback text and Block Kit blocks.</summary>
internal sealed record SlackPayload(string Text, IReadOnlyList<SlackBlock> Blocks);

/// <summary>A Block Kit block (written by its own type; no discriminator).</summary>
[JsonDerivedType(typeof(SlackHeaderBlock))]
[JsonDerivedType(typeof(SlackSectionBlock))]
[JsonDerivedType(typeof(SlackContextBlock))]
[JsonDerivedType(typeof(SlackActionsBlock))]
internal abstract record SlackBlock
{
    [JsonPropertyOrder(-1)]
    public abstract string Type { get; }
}

internal sealed record SlackHeaderBlock(SlackText Text) : SlackBlock
{
    [JsonPropertyOrder(-1)]
    public override string Type => "header";
}

internal sealed record SlackSectionBlock : SlackBlock
{
    [JsonPropertyOrder(-1)]
    public override string Type => "section";

    public SlackText? Text { get; init; }

    public IReadOnlyList<SlackText>? Fields { get; init; }
}

internal sealed record SlackContextBlock(IReadOnlyList<SlackText> Elements) : SlackBlock
{
    [JsonPropertyOrder(-1)]
    public override string Type => "context";
}

internal sealed record SlackActionsBlock(IReadOnlyList<SlackButton> Elements) : SlackBlock
{
    [JsonPropertyOrder(-1)]
    public override string Type => "actions";
}

/// <summary>A text object: <c>plain_text</c> or <c>mrkdwn</c>.</summary>
internal sealed record SlackText(string Type, string Text);

internal sealed record SlackButton(SlackText Text, string Url)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "button";
}
