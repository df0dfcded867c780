namespace Canary.Analysis.Configuration;

/// <summary>How a policy document is written.</summary>
public enum PolicyDocumentFormat
{
    /// <summary>YAML (one document per file).</summary>
    Yaml,

    /// <summary>JSON (comments and trailing commas allowed).</summary>
    Json,
}
