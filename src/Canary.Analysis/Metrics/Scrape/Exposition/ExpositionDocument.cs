namespace Canary.Analysis.Metrics.Scrape.Exposition;

/// <summary>A parsed exposition: families in the order they first appear.</summary>
internal sealed class ExpositionDocument(IReadOnlyList<ExpositionFamily> families)
{
    /// <summary>Gets the families.</summary>
    public IReadOnlyList<ExpositionFamily> Families { get; } = families;

    /// <summary>Gets every sample of every family.</summary>
    public IEnumerable<ExpositionSample> Samples => Families.SelectMany(family => family.Samples);
}
