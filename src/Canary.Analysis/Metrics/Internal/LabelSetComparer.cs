namespace Canary.Analysis.Metrics.Internal;

/// <summary>Label sets equal when they hold the same pairs, whatever their order.</summary>
internal sealed class LabelSetComparer : IEqualityComparer<IReadOnlyDictionary<string, string>>
{
    /// <summary>The shared instance.</summary>
    public static readonly LabelSetComparer Instance = new();

    /// <summary>The label set of the first series with the same labels as an earlier one, rendered, or null.</summary>
    public static string? FindDuplicate(IReadOnlyList<MetricSeries> series)
    {
        if (series.Count < 2)
        {
            return null;
        }

        var seen = new HashSet<IReadOnlyDictionary<string, string>>(series.Count, Instance);
        foreach (var one in series)
        {
            if (!seen.Add(one.Labels))
            {
                return "{" + string.Join(", ", one.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
            }
        }

        return null;
    }

    public bool Equals(IReadOnlyDictionary<string, string>? x, IReadOnlyDictionary<string, string>? y)
    {
        if (x is null || y is null || x.Count != y.Count)
        {
            return ReferenceEquals(x, y);
        }

        foreach (var (key, value) in x)
        {
            if (!y.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(IReadOnlyDictionary<string, string> obj)
    {
        // Order-independent: the sum of the pairs' hashes.
        var hash = obj.Count;
        foreach (var (key, value) in obj)
        {
            hash += HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), StringComparer.Ordinal.GetHashCode(value));
        }

        return hash;
    }
}
