using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Metrics.Scrape.Exposition;

/// <summary>
/// Parses Prometheus text format 0.0.4 and OpenMetrics 1.0 expositions, strictly: malformed input throws
/// <see cref="ExpositionParseException"/> (with the line number and the start of the line) and nothing else.
/// </summary>
/// <remarks>
/// Supported: <c># HELP</c>, <c># TYPE</c>, <c># UNIT</c> and <c># EOF</c> (OpenMetrics; required there, with nothing after
/// it); other comments in 0.0.4; label values with the escapes <c>\\</c>, <c>\"</c> and <c>\n</c> (any other escape is an
/// error); values including <c>NaN</c>, <c>+Inf</c> and <c>-Inf</c>; optional timestamps (integer milliseconds in 0.0.4,
/// seconds in OpenMetrics); OpenMetrics exemplars (<c> # {…} value [timestamp]</c>), which are checked and skipped;
/// OpenMetrics <c>_created</c> samples of counters, histograms and summaries, which are skipped. 0.0.4 tolerates blanks
/// and tabs between tokens and a trailing comma in label sets, as Prometheus does; OpenMetrics allows exactly one space.
/// A label name repeated in a sample, a series repeated in the document, a second <c># TYPE</c>/<c># HELP</c> for a family,
/// metadata after the family's samples, and (OpenMetrics) interleaved families are errors.
/// <para>Bounded: the work is linear in the input (labels per line, line length, lines and series alike: duplicate labels
/// and duplicate series are found with hash sets, never by pairwise comparison), an input larger than the size cap is
/// rejected before it is read, and the cancellation token is checked every <see cref="CancellationCheckInterval"/> lines
/// and labels, so a scrape's timeout also stops its parse.</para>
/// </remarks>
internal static class ExpositionParser
{
    /// <summary>The default size cap: 64 MiB of UTF-8 (or 64 Mi characters of text).</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    /// <summary>Lines (and labels within a line) between two checks of the cancellation token.</summary>
    internal const int CancellationCheckInterval = 1024;

    private const int SnippetLength = 80;

    // Up to this many labels in a set, pairwise comparison is cheaper than hashing; above it, a hash set is used.
    private const int SmallLabelSet = 8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly SearchValues<char> MetricNameChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:");

    private static readonly SearchValues<char> LabelNameChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    private static readonly string[] Suffixes = ["_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"];

    /// <summary>Parses UTF-8 bytes.</summary>
    /// <param name="utf8">The exposition.</param>
    /// <param name="dialect">The format.</param>
    /// <param name="maxBytes">The size cap; a larger input is rejected.</param>
    /// <param name="cancellationToken">Stops the parse (checked periodically).</param>
    /// <returns>The document.</returns>
    /// <exception cref="ExpositionParseException">The bytes are not valid UTF-8, exceed the cap, or the text is not a valid exposition.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ExpositionDocument Parse(ReadOnlySpan<byte> utf8, ExpositionDialect dialect, long maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default) =>
        Parse(utf8, dialect, maxBytes, cancellationToken, out _);

    /// <summary>Parses UTF-8 bytes and reports the parser's work (label and series comparisons, labels, lines).</summary>
    /// <param name="utf8">The exposition.</param>
    /// <param name="dialect">The format.</param>
    /// <param name="maxBytes">The size cap; a larger input is rejected.</param>
    /// <param name="cancellationToken">Stops the parse (checked periodically).</param>
    /// <param name="work">The number of elementary steps taken: what tests bound to prove the parse is linear.</param>
    /// <returns>The document.</returns>
    /// <exception cref="ExpositionParseException">The bytes are not valid UTF-8, exceed the cap, or the text is not a valid exposition.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    internal static ExpositionDocument Parse(ReadOnlySpan<byte> utf8, ExpositionDialect dialect, long maxBytes, CancellationToken cancellationToken, out long work)
    {
        if (utf8.Length > maxBytes)
        {
            throw new ExpositionParseException($"The exposition has {utf8.Length} bytes, more than the cap of {maxBytes}.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        string text;
        try
        {
            text = StrictUtf8.GetString(utf8);
        }
        catch (ArgumentException ex)
        {
            var (line, snippet) = LocateInvalidUtf8(utf8);
            throw new ExpositionParseException($"Line {line}: the text is not valid UTF-8 (line starts: \"{snippet}\")", ex);
        }

        return Parse(text, dialect, maxBytes, cancellationToken, out work);
    }

    /// <summary>Parses text.</summary>
    /// <param name="text">The exposition.</param>
    /// <param name="dialect">The format.</param>
    /// <param name="maxBytes">The size cap, in characters here; a longer text is rejected.</param>
    /// <param name="cancellationToken">Stops the parse (checked periodically).</param>
    /// <returns>The document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ExpositionParseException">The text exceeds the cap or is not a valid exposition.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ExpositionDocument Parse(string text, ExpositionDialect dialect, long maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default) =>
        Parse(text, dialect, maxBytes, cancellationToken, out _);

    /// <summary>Parses text and reports the parser's work (label and series comparisons, labels, lines).</summary>
    /// <param name="text">The exposition.</param>
    /// <param name="dialect">The format.</param>
    /// <param name="maxBytes">The size cap, in characters here; a longer text is rejected.</param>
    /// <param name="cancellationToken">Stops the parse (checked periodically).</param>
    /// <param name="work">The number of elementary steps taken: what tests bound to prove the parse is linear.</param>
    /// <returns>The document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ExpositionParseException">The text exceeds the cap or is not a valid exposition.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    internal static ExpositionDocument Parse(string text, ExpositionDialect dialect, long maxBytes, CancellationToken cancellationToken, out long work)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > maxBytes)
        {
            throw new ExpositionParseException($"The exposition has {text.Length} characters, more than the cap of {maxBytes}.");
        }

        var state = new State(dialect == ExpositionDialect.OpenMetrics, cancellationToken);
        var pos = 0;
        var lineNumber = 0;
        var eof = false;
        while (pos < text.Length)
        {
            lineNumber++;
            state.Work++;
            if (lineNumber % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var newline = text.IndexOf('\n', pos);
            var end = newline >= 0 ? newline : text.Length;
            var line = text.AsSpan(pos, end - pos);
            pos = newline >= 0 ? newline + 1 : text.Length;
            try
            {
                if (eof)
                {
                    throw new SyntaxError("text after # EOF");
                }

                if (state.OpenMetrics && line.SequenceEqual("# EOF"))
                {
                    eof = true;
                    continue;
                }

                state.ParseLine(line);
            }
            catch (SyntaxError error)
            {
                throw new ExpositionParseException(error.Message, lineNumber, Snippet(line));
            }
        }

        if (state.OpenMetrics && !eof)
        {
            throw new ExpositionParseException("an OpenMetrics exposition must end with \"# EOF\" (truncated?)", Math.Max(lineNumber, 1), string.Empty);
        }

        cancellationToken.ThrowIfCancellationRequested();
        work = state.Work;
        return new ExpositionDocument(state.Families);
    }

    private static string Snippet(ReadOnlySpan<char> line) =>
        (line.Length > SnippetLength ? line[..SnippetLength] : line).ToString();

    private static (int Line, string Snippet) LocateInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        var line = 1;
        var lineStart = 0;
        var i = 0;
        while (i < utf8.Length)
        {
            if (Rune.DecodeFromUtf8(utf8[i..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                break;
            }

            if (utf8[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }

            i += consumed;
        }

        var valid = utf8[lineStart..i];
        var snippet = Encoding.UTF8.GetString(valid.Length > SnippetLength ? valid[..SnippetLength] : valid);
        return (line, snippet);
    }

    private static bool IsBlank(char c) => c is ' ' or '\t';

    private static bool IsMetricNameStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':';

    private static bool IsMetricNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or ':';

    private static bool IsLabelNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsLabelNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

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

    /// <summary>A syntax error on the current line; converted to <see cref="ExpositionParseException"/> by the caller.</summary>
    private sealed class SyntaxError(string message) : Exception(message);

    private sealed class State
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

        private static ExpositionMetricType ParseType(ReadOnlySpan<char> word, bool openMetrics) => word switch
        {
            "counter" => ExpositionMetricType.Counter,
            "gauge" => ExpositionMetricType.Gauge,
            "histogram" => ExpositionMetricType.Histogram,
            "summary" => ExpositionMetricType.Summary,
            "untyped" when !openMetrics => ExpositionMetricType.Unknown,
            "unknown" when openMetrics => ExpositionMetricType.Unknown,
            "gaugehistogram" when openMetrics => ExpositionMetricType.GaugeHistogram,
            "stateset" when openMetrics => ExpositionMetricType.StateSet,
            "info" when openMetrics => ExpositionMetricType.Info,
            _ => throw new SyntaxError($"unknown metric type '{word.ToString()}'"),
        };

        private static bool SuffixAllowed(ExpositionMetricType type, string suffix, bool openMetrics) => suffix switch
        {
            "" => type switch
            {
                ExpositionMetricType.Counter or ExpositionMetricType.Info => !openMetrics,
                ExpositionMetricType.Histogram or ExpositionMetricType.GaugeHistogram => false,
                _ => true,
            },
            "_total" => type == ExpositionMetricType.Counter,
            "_created" => openMetrics && type is ExpositionMetricType.Counter or ExpositionMetricType.Histogram or ExpositionMetricType.Summary,
            "_bucket" => type is ExpositionMetricType.Histogram or ExpositionMetricType.GaugeHistogram,
            "_count" or "_sum" => type is ExpositionMetricType.Histogram or ExpositionMetricType.Summary,
            "_gcount" or "_gsum" => type == ExpositionMetricType.GaugeHistogram,
            "_info" => openMetrics && type == ExpositionMetricType.Info,
            _ => false,
        };

        private void ParseComment(ReadOnlySpan<char> line, int i)
        {
            if (OpenMetrics)
            {
                if (i >= line.Length || line[i] != ' ')
                {
                    throw new SyntaxError("expected \"# HELP\", \"# TYPE\", \"# UNIT\" or \"# EOF\"");
                }

                i++;
            }
            else
            {
                SkipBlanks(line, ref i);
            }

            var keywordStart = i;
            while (i < line.Length && char.IsAsciiLetter(line[i]))
            {
                i++;
            }

            var keyword = line[keywordStart..i];
            var isHelp = keyword.SequenceEqual("HELP");
            var isType = keyword.SequenceEqual("TYPE");
            var isUnit = OpenMetrics && keyword.SequenceEqual("UNIT");
            if (!isHelp && !isType && !isUnit)
            {
                if (OpenMetrics)
                {
                    throw new SyntaxError("expected \"# HELP\", \"# TYPE\", \"# UNIT\" or \"# EOF\"; other comments are not allowed in OpenMetrics");
                }

                return; // A plain comment.
            }

            if (i >= line.Length || !IsBlank(line[i]) || (OpenMetrics && line[i] != ' '))
            {
                throw new SyntaxError($"expected a space and a metric name after {keyword.ToString()}");
            }

            i++;
            if (!OpenMetrics)
            {
                SkipBlanks(line, ref i);
            }

            var name = ReadMetricName(line, ref i);
            var family = Declare(name);
            if (isType)
            {
                if (i >= line.Length || !IsBlank(line[i]) || (OpenMetrics && line[i] != ' '))
                {
                    throw new SyntaxError($"expected a type after # TYPE {name}");
                }

                i++;
                if (!OpenMetrics)
                {
                    SkipBlanks(line, ref i);
                }

                var type = ParseType(ReadToken(line, ref i, OpenMetrics), OpenMetrics);
                if (!OpenMetrics)
                {
                    SkipBlanks(line, ref i);
                }

                if (i != line.Length)
                {
                    throw new SyntaxError($"unexpected text after # TYPE {name}");
                }

                if (!_typed.Add(name))
                {
                    throw new SyntaxError($"second # TYPE line for '{name}'");
                }

                family.Type = type;
                return;
            }

            string text = string.Empty;
            if (i < line.Length)
            {
                if (!IsBlank(line[i]) || (OpenMetrics && line[i] != ' '))
                {
                    throw new SyntaxError($"expected a space after the metric name '{name}'");
                }

                i++;
                if (!OpenMetrics)
                {
                    SkipBlanks(line, ref i);
                }

                text = isHelp ? Unescape(line[i..], allowQuote: OpenMetrics) : line[i..].ToString();
            }

            if (isHelp)
            {
                if (!_helped.Add(name))
                {
                    throw new SyntaxError($"second # HELP line for '{name}'");
                }

                family.Help = text;
            }
            else
            {
                foreach (var c in text)
                {
                    if (!IsMetricNameChar(c))
                    {
                        throw new SyntaxError($"unit '{text}' of '{name}' has a character other than [a-zA-Z0-9_:]");
                    }
                }

                if (!_unitted.Add(name))
                {
                    throw new SyntaxError($"second # UNIT line for '{name}'");
                }

                family.Unit = text;
            }
        }

        private string Unescape(ReadOnlySpan<char> text, bool allowQuote)
        {
            if (text.IndexOf('\\') < 0)
            {
                return text.ToString();
            }

            _scratch.Clear();
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c != '\\')
                {
                    _scratch.Append(c);
                    continue;
                }

                if (++i >= text.Length)
                {
                    throw new SyntaxError("a backslash ends the help text");
                }

                _scratch.Append(text[i] switch
                {
                    '\\' => '\\',
                    'n' => '\n',
                    '"' when allowQuote => '"',
                    _ => throw new SyntaxError($"invalid escape sequence '\\{text[i]}' in help text"),
                });
            }

            return _scratch.ToString();
        }

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

        private void ParseSample(ReadOnlySpan<char> line, int i)
        {
            var name = ReadMetricName(line, ref i, _previousSample?.Name);
            var afterName = i;
            if (!OpenMetrics)
            {
                SkipBlanks(line, ref i);
            }

            KeyValuePair<string, string>[] labels = [];
            var separated = i > afterName;
            if (i < line.Length && line[i] == '{')
            {
                labels = ParseLabels(line, ref i);
                separated = false;
            }

            if (!separated)
            {
                if (i >= line.Length || !IsBlank(line[i]) || (OpenMetrics && line[i] != ' '))
                {
                    throw new SyntaxError($"expected a space and a value after '{name}'");
                }

                i++;
                if (!OpenMetrics)
                {
                    SkipBlanks(line, ref i);
                }
            }

            var valueToken = ReadToken(line, ref i, OpenMetrics);
            if (!PrometheusNumber.TryParse(valueToken, out var value))
            {
                throw new SyntaxError($"'{valueToken.ToString()}' is not a number");
            }

            double? timestamp = null;
            if (OpenMetrics)
            {
                if (i < line.Length)
                {
                    i++; // the space
                    if (i < line.Length && line[i] != '#')
                    {
                        timestamp = ReadOpenMetricsTimestamp(line, ref i);
                        if (i < line.Length)
                        {
                            i++;
                        }
                        else
                        {
                            goto Done;
                        }
                    }

                    SkipExemplar(line, i);
                }
            }
            else
            {
                SkipBlanks(line, ref i);
                if (i < line.Length)
                {
                    var token = ReadToken(line, ref i, openMetrics: false);
                    if (!IsInteger(token) || !long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var milliseconds))
                    {
                        throw new SyntaxError($"timestamp '{token.ToString()}' is not an integer number of milliseconds");
                    }

                    timestamp = milliseconds / 1000.0;
                    SkipBlanks(line, ref i);
                    if (i != line.Length)
                    {
                        throw new SyntaxError("unexpected text after the timestamp");
                    }
                }
            }

        Done:
            var family = Resolve(name, out var skip);
            if (OpenMetrics && _lastSampled is not null && !ReferenceEquals(family, _lastSampled) && _withSamples.Contains(family.Name))
            {
                throw new SyntaxError($"samples of family '{family.Name}' are interleaved with another family");
            }

            if (!ReferenceEquals(family, _lastSampled))
            {
                _withSamples.Add(family.Name);
                _lastSampled = family;
            }

            var identity = new SeriesIdentity(name, labels);
            if (!_series.Add(identity))
            {
                throw new SyntaxError($"duplicate series '{name}' with the same labels");
            }

            _previousSample = identity;

            if (!skip)
            {
                family.Samples.Add(new ExpositionSample(name, labels, value, timestamp));
            }
        }

        private static bool IsInteger(ReadOnlySpan<char> token)
        {
            var digits = token.Length > 0 && token[0] == '-' ? token[1..] : token;
            if (digits.IsEmpty)
            {
                return false;
            }

            foreach (var c in digits)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }

            return true;
        }

        private static double ReadOpenMetricsTimestamp(ReadOnlySpan<char> line, ref int i)
        {
            var token = ReadToken(line, ref i, openMetrics: true);
            if (!PrometheusNumber.TryParse(token, out var seconds) || !double.IsFinite(seconds))
            {
                throw new SyntaxError($"timestamp '{token.ToString()}' is not a finite number of seconds");
            }

            return seconds;
        }

        private void SkipExemplar(ReadOnlySpan<char> line, int i)
        {
            if (i + 1 >= line.Length || line[i] != '#' || line[i + 1] != ' ')
            {
                throw new SyntaxError("expected \"# {labels} value\" (an exemplar) after the sample");
            }

            i += 2;
            if (i >= line.Length || line[i] != '{')
            {
                throw new SyntaxError("an exemplar must start with a label set");
            }

            _ = ParseLabels(line, ref i);
            if (i >= line.Length || line[i] != ' ')
            {
                throw new SyntaxError("expected a space and a value after the exemplar's labels");
            }

            i++;
            var valueToken = ReadToken(line, ref i, openMetrics: true);
            if (!PrometheusNumber.TryParse(valueToken, out _))
            {
                throw new SyntaxError($"exemplar value '{valueToken.ToString()}' is not a number");
            }

            if (i < line.Length)
            {
                i++;
                _ = ReadOpenMetricsTimestamp(line, ref i);
                if (i != line.Length)
                {
                    throw new SyntaxError("unexpected text after the exemplar");
                }
            }
        }

        private KeyValuePair<string, string>[] ParseLabels(ReadOnlySpan<char> line, ref int i)
        {
            i++; // '{'
            var list = _labels;
            list.Clear();
            _labelNames.Clear();
            while (true)
            {
                if (!OpenMetrics)
                {
                    SkipBlanks(line, ref i);
                }

                if (i < line.Length && line[i] == '}' && (list.Count == 0 || !OpenMetrics))
                {
                    i++;
                    break;
                }

                var hint = _previousSample?.Labels is { } previous && list.Count < previous.Length ? previous[list.Count] : default;
                var labelName = ReadLabelName(line, ref i, hint.Key);
                if (!OpenMetrics)
                {
                    SkipBlanks(line, ref i);
                }

                if (i >= line.Length || line[i] != '=')
                {
                    throw new SyntaxError($"expected '=' after label name '{labelName}'");
                }

                i++;
                if (!OpenMetrics)
                {
                    SkipBlanks(line, ref i);
                }

                if (i >= line.Length || line[i] != '"')
                {
                    throw new SyntaxError($"expected '\"' to open the value of label '{labelName}'");
                }

                i++;
                var labelValue = ReadQuoted(line, ref i, labelName, ReferenceEquals(labelName, hint.Key) ? hint.Value : null);
                if (IsDuplicateLabel(list, labelName))
                {
                    throw new SyntaxError($"label '{labelName}' appears twice");
                }

                list.Add(new(labelName, labelValue));
                if (list.Count % CancellationCheckInterval == 0)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                }

                if (!OpenMetrics)
                {
                    SkipBlanks(line, ref i);
                }

                if (i >= line.Length)
                {
                    throw new SyntaxError("unterminated label set");
                }

                if (line[i] == ',')
                {
                    i++;
                    continue;
                }

                if (line[i] == '}')
                {
                    i++;
                    break;
                }

                throw new SyntaxError($"expected ',' or '}}' after the value of label '{labelName}'");
            }

            return [.. list];
        }

        /// <summary>Whether the label set being read already has the name: pairwise while small, then a hash set (linear overall).</summary>
        private bool IsDuplicateLabel(List<KeyValuePair<string, string>> list, string labelName)
        {
            Work++;
            if (list.Count < SmallLabelSet)
            {
                Work += list.Count;
                foreach (var existing in list)
                {
                    if (string.Equals(existing.Key, labelName, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (_labelNames.Count == 0)
            {
                foreach (var existing in list)
                {
                    Work++;
                    _labelNames.Add(existing.Key);
                }
            }

            return !_labelNames.Add(labelName);
        }

        private string ReadQuoted(ReadOnlySpan<char> line, ref int i, string labelName, string? hint)
        {
            var rest = line[i..];
            var stop = rest.IndexOfAny('"', '\\');
            if (stop >= 0 && rest[stop] == '"')
            {
                i += stop + 1;
                return Intern(rest[..stop], hint);
            }

            _scratch.Clear();
            while (i < line.Length)
            {
                var c = line[i++];
                if (c == '"')
                {
                    return Intern(_scratch.ToString());
                }

                if (c != '\\')
                {
                    _scratch.Append(c);
                    continue;
                }

                if (i >= line.Length)
                {
                    break;
                }

                var escaped = line[i++];
                _scratch.Append(escaped switch
                {
                    '\\' => '\\',
                    '"' => '"',
                    'n' => '\n',
                    _ => throw new SyntaxError($"invalid escape sequence '\\{escaped}' in the value of label '{labelName}'"),
                });
            }

            throw new SyntaxError($"unterminated value of label '{labelName}'");
        }
    }
}
