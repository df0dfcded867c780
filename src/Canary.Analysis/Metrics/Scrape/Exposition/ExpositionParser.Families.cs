using System.Runtime.CompilerServices;

namespace Canary.Analysis.Metrics.Scrape.Exposition;

// Family and series bookkeeping: declared families, the family a sample belongs to, and series identity.
internal static partial class ExpositionParser
{
    /// <summary>A series: its name and its label set (label order does not matter; names within a set are unique).</summary>
    private readonly record struct SeriesIdentity(string Name, KeyValuePair<string, string>[] Labels);

    /// <summary>
    /// Equality of <see cref="SeriesIdentity"/> without building a key string per sample; linear in the labels (small sets
    /// pairwise, large ones through a dictionary), counting its steps into the parse's work.
    /// </summary>
    private sealed class SeriesIdentityComparer(State state) : IEqualityComparer<SeriesIdentity>
    {
        public bool Equals(SeriesIdentity x, SeriesIdentity y)
        {
            state.Work++;
            if (!string.Equals(x.Name, y.Name, StringComparison.Ordinal) || x.Labels.Length != y.Labels.Length)
            {
                return false;
            }

            if (x.Labels.Length <= SmallLabelSet)
            {
                foreach (var (key, value) in x.Labels)
                {
                    state.Work += y.Labels.Length;
                    if (!Contains(y.Labels, key, value))
                    {
                        return false;
                    }
                }

                return true;
            }

            var other = new Dictionary<string, string>(y.Labels.Length, StringComparer.Ordinal);
            foreach (var (key, value) in y.Labels)
            {
                state.Work++;
                other[key] = value;
            }

            foreach (var (key, value) in x.Labels)
            {
                state.Work++;
                if (!other.TryGetValue(key, out var found) || !string.Equals(found, value, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        // Order-independent: the label pairs' hashes are summed. Every name and value is interned by the parse (one string
        // per distinct text), so the identity hash of the string stands for its content: no rehashing of characters, and
        // no hash an input can aim at.
        public int GetHashCode(SeriesIdentity series)
        {
            state.Work += series.Labels.Length;
            var labels = 0;
            foreach (var (key, value) in series.Labels)
            {
                labels += HashCode.Combine(RuntimeHelpers.GetHashCode(key), RuntimeHelpers.GetHashCode(value));
            }

            return HashCode.Combine(RuntimeHelpers.GetHashCode(series.Name), labels);
        }

        private static bool Contains(KeyValuePair<string, string>[] labels, string key, string value)
        {
            foreach (var pair in labels)
            {
                if (string.Equals(pair.Key, key, StringComparison.Ordinal))
                {
                    return string.Equals(pair.Value, value, StringComparison.Ordinal);
                }
            }

            return false;
        }
    }

    private sealed partial class State
    {
        private ExpositionFamily Declare(string name)
        {
            _resolvedName = null;
            if (_withSamples.Contains(name))
            {
                throw new SyntaxError($"metadata for '{name}' after its samples");
            }

            if (!_byName.TryGetValue(name, out var family))
            {
                family = new ExpositionFamily(name, ExpositionMetricType.Unknown);
                _byName.Add(name, family);
                Families.Add(family);
            }

            return family;
        }

        private bool TryGetFamily(ReadOnlySpan<char> name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ExpositionFamily? family) =>
#if NET9_0_OR_GREATER
            _byNameLookup.TryGetValue(name, out family);
#else
            _byName.TryGetValue(name.ToString(), out family);
#endif

        private ExpositionFamily Resolve(string name, out bool skip)
        {
            if (ReferenceEquals(name, _resolvedName) && _resolvedFamily is not null)
            {
                skip = _resolvedSkip;
                return _resolvedFamily;
            }

            var family = ResolveUncached(name, out skip);
            (_resolvedName, _resolvedFamily, _resolvedSkip) = (name, family, skip);
            return family;
        }

        private ExpositionFamily ResolveUncached(string name, out bool skip)
        {
            skip = false;
            if (_byName.TryGetValue(name, out var exact))
            {
                if (SuffixAllowed(exact.Type, string.Empty, OpenMetrics))
                {
                    return exact;
                }
            }

            foreach (var suffix in Suffixes)
            {
                if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal) &&
                    TryGetFamily(name.AsSpan(0, name.Length - suffix.Length), out var family) &&
                    SuffixAllowed(family.Type, suffix, OpenMetrics))
                {
                    skip = suffix == "_created";
                    return family;
                }
            }

            if (exact is not null)
            {
                throw new SyntaxError($"sample '{name}' does not fit the {exact.Type.ToString().ToLowerInvariant()} family '{name}'");
            }

            var implicitFamily = new ExpositionFamily(name, ExpositionMetricType.Unknown);
            _byName.Add(name, implicitFamily);
            Families.Add(implicitFamily);
            return implicitFamily;
        }
    }
}
