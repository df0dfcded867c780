using System.Collections.ObjectModel;

namespace Canary.Analysis.Metrics;

/// <summary>A series: a label set and its samples in time order.</summary>
public sealed class MetricSeries
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels =
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>Creates a series.</summary>
    /// <param name="labels">The labels (the metric name, when present, is the <c>__name__</c> label).</param>
    /// <param name="samples">The samples in time order.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public MetricSeries(IReadOnlyDictionary<string, string> labels, IReadOnlyList<MetricSample> samples)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(samples);
        Labels = labels.Count == 0 ? NoLabels : labels;
        Samples = samples;
    }

    /// <summary>Gets the labels of the series.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>Gets the samples in time order: one for an instant vector, many for a range.</summary>
    public IReadOnlyList<MetricSample> Samples { get; }

    /// <summary>Returns the value of a label, or an empty string when the series does not have it (as PromQL does).</summary>
    /// <param name="name">The label name.</param>
    /// <returns>The label value or <see cref="string.Empty"/>.</returns>
    public string GetLabel(string name) => Labels.TryGetValue(name, out var value) ? value : string.Empty;

    /// <inheritdoc />
    public override string ToString()
    {
        var labels = string.Join(", ", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\""));
        return $"{{{labels}}} ({Samples.Count} samples)";
    }
}
