using System.Text;

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
internal static partial class ExpositionParser
{
    /// <summary>The default size cap: 64 MiB of UTF-8 (or 64 Mi characters of text).</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    /// <summary>Lines (and labels within a line) between two checks of the cancellation token.</summary>
    internal const int CancellationCheckInterval = 1024;

    private const int SnippetLength = 80;

    // Up to this many labels in a set, pairwise comparison is cheaper than hashing; above it, a hash set is used.
    private const int SmallLabelSet = 8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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

    /// <summary>A syntax error on the current line; converted to <see cref="ExpositionParseException"/> by the caller.</summary>
    private sealed class SyntaxError(string message) : Exception(message);
}
