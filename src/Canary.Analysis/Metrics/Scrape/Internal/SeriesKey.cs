using Canary.Analysis.Traffic;

namespace Canary.Analysis.Metrics.Scrape.Internal;

/// <summary>A series' identity: its name and labels (sorted by name), compared ordinally.</summary>
internal sealed class SeriesKey : IEquatable<SeriesKey>
{
    private readonly KeyValuePair<string, string>[] _labels;
    private readonly int _hash;

    public SeriesKey(string name, IEnumerable<KeyValuePair<string, string>> labels)
    {
        Name = name;
        _labels = [.. labels.OrderBy(pair => pair.Key, StringComparer.Ordinal)];
        var hash = default(HashCode);
        hash.Add(name, StringComparer.Ordinal);
        foreach (var (key, value) in _labels)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }

        _hash = hash.ToHashCode();
    }

    public string Name { get; }

    /// <summary>The value of a label, or the empty string when absent (as PromQL treats it); <c>__name__</c> is the name.</summary>
    public string GetLabel(string label)
    {
        if (label == "__name__")
        {
            return Name;
        }

        foreach (var (key, value) in _labels)
        {
            if (string.Equals(key, label, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return string.Empty;
    }

    public bool Matches(LabelSelector selector)
    {
        foreach (var matcher in selector.Matchers)
        {
            if (!matcher.Matches(GetLabel(matcher.Name)))
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(SeriesKey? other) =>
        other is not null && _hash == other._hash && string.Equals(Name, other.Name, StringComparison.Ordinal) &&
        _labels.AsSpan().SequenceEqual(other._labels);

    public override bool Equals(object? obj) => Equals(obj as SeriesKey);

    public override int GetHashCode() => _hash;
}
