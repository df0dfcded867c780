namespace Canary.Analysis.Configuration.Internal;

/// <summary>A node of a policy document, whatever it was read from (YAML, JSON, configuration): where it is and what it holds.</summary>
/// <param name="Path">The node's path in the document (<c>checks.latency.quantile</c>, <c>steps[1].analysis</c>).</param>
/// <param name="Line">The 1-based line where it starts; 0 where the reader knows none.</param>
internal abstract record DocumentNode(string Path, int Line)
{
    /// <summary>Gets what a reader calls this kind of node in an error.</summary>
    public abstract string KindName { get; }
}

/// <summary>A mapping: keys in document order (duplicates are refused by the readers).</summary>
internal sealed record MappingNode(string Path, int Line, IReadOnlyList<KeyValuePair<string, DocumentNode>> Entries) : DocumentNode(Path, Line)
{
    public override string KindName => "a mapping";
}

/// <summary>A sequence.</summary>
internal sealed record SequenceNode(string Path, int Line, IReadOnlyList<DocumentNode> Items) : DocumentNode(Path, Line)
{
    public override string KindName => "a list";
}

/// <summary>A scalar: its text and what its source says it is.</summary>
internal sealed record ScalarNode(string Path, int Line, string? Text, ScalarKind Kind) : DocumentNode(Path, Line)
{
    public override string KindName => Kind switch
    {
        ScalarKind.Null => "null",
        ScalarKind.String => "a string",
        ScalarKind.Number => "a number",
        ScalarKind.Boolean => "a boolean",
        _ => "a scalar",
    };
}

/// <summary>What a scalar's source says it is.</summary>
internal enum ScalarKind
{
    /// <summary>Untyped text: a plain YAML scalar or a configuration value; read as whatever the field needs.</summary>
    Plain,

    /// <summary>A quoted YAML scalar or a JSON string: text only (a quoted number is not a number).</summary>
    String,

    /// <summary>A JSON number.</summary>
    Number,

    /// <summary>A JSON <c>true</c>/<c>false</c>.</summary>
    Boolean,

    /// <summary>An explicit null (<c>null</c>, <c>~</c>, or nothing).</summary>
    Null,
}
