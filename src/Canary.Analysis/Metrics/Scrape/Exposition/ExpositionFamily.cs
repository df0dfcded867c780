namespace Canary.Analysis.Metrics.Scrape.Exposition;

/// <summary>A metric family: its name, metadata and samples (OpenMetrics <c>_created</c> samples are skipped).</summary>
internal sealed class ExpositionFamily(string name, ExpositionMetricType type)
{
    /// <summary>Gets the family name (for an OpenMetrics counter, without <c>_total</c>).</summary>
    public string Name { get; } = name;

    /// <summary>Gets or sets the type.</summary>
    public ExpositionMetricType Type { get; set; } = type;

    /// <summary>Gets or sets the help text (unescaped), or null.</summary>
    public string? Help { get; set; }

    /// <summary>Gets or sets the unit (OpenMetrics), or null.</summary>
    public string? Unit { get; set; }

    /// <summary>Gets the samples in document order.</summary>
    public List<ExpositionSample> Samples { get; } = [];
}
