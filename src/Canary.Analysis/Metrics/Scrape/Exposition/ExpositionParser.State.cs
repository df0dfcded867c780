using System.Buffers;
using System.Text;

namespace Canary.Analysis.Metrics.Scrape.Exposition;

// The parse state: reading a line, its tokens and names, and interning the strings it keeps.
internal static partial class ExpositionParser
{
    /// <summary>The state of one parse: the tokenizer and interning here; metadata, samples, labels and bookkeeping beside.</summary>
    private sealed partial class State
    {
        private readonly Dictionary<string, ExpositionFamily> _byName = new(StringComparer.Ordinal);
        private readonly HashSet<string> _typed = new(StringComparer.Ordinal);
        private readonly HashSet<string> _helped = new(StringComparer.Ordinal);
        private readonly HashSet<string> _unitted = new(StringComparer.Ordinal);
        private readonly HashSet<string> _withSamples = new(StringComparer.Ordinal);
        private readonly HashSet<SeriesIdentity> _series;
        private readonly StringBuilder _scratch = new();
        private readonly List<KeyValuePair<string, string>> _labels = [];

        // The names of the label set being read, once it has more than SmallLabelSet labels.
        private readonly HashSet<string> _labelNames = new(StringComparer.Ordinal);
        private readonly CancellationToken _cancellationToken;

        // Names and label values repeat on almost every line of a scrape; one string per distinct text.
        private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
#if NET9_0_OR_GREATER
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _stringLookup;
        private readonly Dictionary<string, ExpositionFamily>.AlternateLookup<ReadOnlySpan<char>> _byNameLookup;
#endif
        private ExpositionFamily? _lastSampled;

        // The last sample read: its tokens are the interning hints of the next line.
        private SeriesIdentity? _previousSample;

        // The last name Resolve answered (names are interned, so compared by reference); cleared by any metadata line.
        private string? _resolvedName;
        private ExpositionFamily? _resolvedFamily;
        private bool _resolvedSkip;

        public State(bool openMetrics, CancellationToken cancellationToken)
        {
            OpenMetrics = openMetrics;
            _cancellationToken = cancellationToken;
            _series = new HashSet<SeriesIdentity>(new SeriesIdentityComparer(this));
#if NET9_0_OR_GREATER
            _stringLookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
            _byNameLookup = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
#endif
        }

        public bool OpenMetrics { get; }

        /// <summary>Gets or sets the elementary steps taken so far (lines, labels, label and series comparisons).</summary>
        public long Work { get; set; }

        public List<ExpositionFamily> Families { get; } = [];

        public void ParseLine(ReadOnlySpan<char> line)
        {
            var i = 0;
            if (!OpenMetrics)
            {
                SkipBlanks(line, ref i);
                if (i == line.Length)
                {
                    return;
                }
            }
            else if (line.IsEmpty)
            {
                throw new SyntaxError("empty lines are not allowed in OpenMetrics");
            }

            if (line[i] == '#')
            {
                ParseComment(line, i + 1);
            }
            else
            {
                ParseSample(line, i);
            }
        }

        private static void SkipBlanks(ReadOnlySpan<char> line, ref int i)
        {
            while (i < line.Length && IsBlank(line[i]))
            {
                i++;
            }
        }

        private string Intern(string text)
        {
            if (_strings.TryGetValue(text, out var existing))
            {
                return existing;
            }

            _strings.Add(text);
            return text;
        }

        // The same text as the hint (the previous sample's token at the same place) is reused without hashing: in a
        // scrape, consecutive lines mostly repeat the name and labels (a histogram's buckets differ only in le).
        private string Intern(ReadOnlySpan<char> text, string? hint) =>
            hint is not null && text.SequenceEqual(hint) ? hint : Intern(text);

        private string Intern(ReadOnlySpan<char> text)
        {
#if NET9_0_OR_GREATER
            if (_stringLookup.TryGetValue(text, out var existing))
            {
                return existing;
            }

            var created = text.ToString();
            _strings.Add(created);
            return created;
#else
            var created = text.ToString();
            if (_strings.TryGetValue(created, out var existing))
            {
                return existing;
            }

            _strings.Add(created);
            return created;
#endif
        }

        private string ReadMetricName(ReadOnlySpan<char> line, ref int i, string? hint = null)
        {
            var start = i;
            if (i >= line.Length || !IsMetricNameStart(line[i]))
            {
                throw new SyntaxError("expected a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
            }

            i = EndOfRun(line, i, MetricNameChars);
            return Intern(line[start..i], hint);
        }

        private string ReadLabelName(ReadOnlySpan<char> line, ref int i, string? hint)
        {
            var start = i;
            if (i >= line.Length || !IsLabelNameStart(line[i]))
            {
                throw new SyntaxError("expected a label name ([a-zA-Z_][a-zA-Z0-9_]*)");
            }

            i = EndOfRun(line, i, LabelNameChars);
            return Intern(line[start..i], hint);
        }

        private static ReadOnlySpan<char> ReadToken(ReadOnlySpan<char> line, ref int i, bool openMetrics)
        {
            var start = i;
            var rest = line[i..];
            var length = openMetrics ? rest.IndexOf(' ') : rest.IndexOfAny(' ', '\t');
            i = length < 0 ? line.Length : i + length;
            return line[start..i];
        }

        // The index after the run of allowed characters starting at i (vectorised).
        private static int EndOfRun(ReadOnlySpan<char> line, int i, SearchValues<char> allowed)
        {
            var length = line[i..].IndexOfAnyExcept(allowed);
            return length < 0 ? line.Length : i + length;
        }
    }
}
