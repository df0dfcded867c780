using System.Globalization;
using System.Text;

namespace Canary.Analysis.Traffic;

/// <summary>
/// A parsed, validated set of PromQL label matchers, such as <c>version="canary",pod=~"web-.*"</c>.
/// </summary>
/// <remarks>
/// A selector is never pasted into a query as raw text: it is parsed into <see cref="LabelMatcher"/>s and
/// rendered back with every value escaped, so neither a selector nor an endpoint name can inject PromQL.
/// </remarks>
public sealed class LabelSelector : IEquatable<LabelSelector>
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private LabelSelector(IReadOnlyList<LabelMatcher> matchers) => Matchers = matchers;

    /// <summary>Gets the selector that matches every series.</summary>
    public static LabelSelector Empty { get; } = new([]);

    /// <summary>Gets the matchers, in the order they were given.</summary>
    public IReadOnlyList<LabelMatcher> Matchers { get; }

    /// <summary>Creates a selector from matchers.</summary>
    /// <param name="matchers">The matchers.</param>
    /// <returns>The selector.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="matchers"/> or one of its items is null.</exception>
    public static LabelSelector Of(params IEnumerable<LabelMatcher> matchers)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        var list = new List<LabelMatcher>();
        foreach (var matcher in matchers)
        {
            list.Add(matcher ?? throw new ArgumentNullException(nameof(matchers), "A matcher is null."));
        }

        return list.Count == 0 ? Empty : new LabelSelector(list.AsReadOnly());
    }

    /// <summary>
    /// Parses PromQL matchers: <c>name="value"</c>, <c>!=</c>, <c>=~</c>, <c>!~</c>, separated by commas,
    /// optionally inside braces; values in double quotes (with escapes), single quotes or backticks.
    /// </summary>
    /// <param name="text">The selector text; empty or whitespace gives <see cref="Empty"/>.</param>
    /// <returns>The selector.</returns>
    /// <exception cref="FormatException">The text is not a valid selector; the message gives the position and the text.</exception>
    public static LabelSelector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseCore(text, out var selector, out var error) ? selector : throw new FormatException(error);
    }

    /// <summary>Parses PromQL matchers without throwing (whatever the text: escapes, surrogates, regular expressions).</summary>
    /// <param name="text">The selector text.</param>
    /// <param name="selector">The selector, when the text is valid.</param>
    /// <returns>Whether the text is a valid selector.</returns>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LabelSelector? selector)
    {
        if (text is not null && TryParseCore(text, out var parsed, out _))
        {
            selector = parsed;
            return true;
        }

        selector = null;
        return false;
    }

    /// <summary>Returns a selector with <paramref name="matcher"/> added at the end.</summary>
    /// <param name="matcher">The matcher to add.</param>
    /// <returns>A new selector.</returns>
    public LabelSelector And(LabelMatcher matcher)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        return new LabelSelector([.. Matchers, matcher]);
    }

    /// <summary>Returns a selector with the matchers of both.</summary>
    /// <param name="other">The other selector.</param>
    /// <returns>A new selector.</returns>
    public LabelSelector And(LabelSelector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Matchers.Count == 0 ? this : Matchers.Count == 0 ? other : new LabelSelector([.. Matchers, .. other.Matchers]);
    }

    /// <summary>Renders the matchers as PromQL without braces, values escaped: <c>version="canary",pod=~"web-.*"</c>.</summary>
    /// <returns>The rendered matchers; empty for <see cref="Empty"/>.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder();
        AppendTo(builder);
        return builder.ToString();
    }

    /// <inheritdoc />
    public bool Equals(LabelSelector? other) => other is not null && Matchers.SequenceEqual(other.Matchers);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LabelSelector);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var matcher in Matchers)
        {
            hash.Add(matcher);
        }

        return hash.ToHashCode();
    }

    internal void AppendTo(StringBuilder builder)
    {
        for (var i = 0; i < Matchers.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            Matchers[i].AppendTo(builder);
        }
    }

    private static bool TryParseCore(string text, out LabelSelector selector, out string error)
    {
        selector = Empty;
        var matchers = new List<LabelMatcher>();
        var pos = 0;
        SkipSpace(text, ref pos);
        var braced = pos < text.Length && text[pos] == '{';
        if (braced)
        {
            pos++;
        }

        while (true)
        {
            SkipSpace(text, ref pos);
            if (pos >= text.Length || text[pos] == '}')
            {
                break;
            }

            var nameStart = pos;
            while (pos < text.Length && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] == '_'))
            {
                pos++;
            }

            var name = text[nameStart..pos];
            if (name.Length == 0 || char.IsAsciiDigit(name[0]))
            {
                error = Error(text, nameStart, "expected a label name");
                return false;
            }

            SkipSpace(text, ref pos);
            MatchOperator op;
            if (Next(text, pos, "=~")) { op = MatchOperator.Regex; pos += 2; }
            else if (Next(text, pos, "!~")) { op = MatchOperator.NotRegex; pos += 2; }
            else if (Next(text, pos, "!=")) { op = MatchOperator.NotEqual; pos += 2; }
            else if (Next(text, pos, "=")) { op = MatchOperator.Equal; pos += 1; }
            else
            {
                error = Error(text, pos, $"expected =, !=, =~ or !~ after label '{name}'");
                return false;
            }

            SkipSpace(text, ref pos);
            var valueStart = pos;
            if (!TryReadString(text, ref pos, out var value, out var stringError))
            {
                error = Error(text, valueStart, stringError);
                return false;
            }

            try
            {
                matchers.Add(new LabelMatcher(name, op, value));
            }
            catch (ArgumentException ex)
            {
                error = Error(text, nameStart, ex.Message);
                return false;
            }

            SkipSpace(text, ref pos);
            if (pos < text.Length && text[pos] == ',')
            {
                pos++;
                continue;
            }

            break;
        }

        SkipSpace(text, ref pos);
        if (braced)
        {
            if (pos >= text.Length || text[pos] != '}')
            {
                error = Error(text, pos, "expected '}'");
                return false;
            }

            pos++;
            SkipSpace(text, ref pos);
        }

        if (pos != text.Length)
        {
            error = Error(text, pos, "unexpected text");
            return false;
        }

        selector = matchers.Count == 0 ? Empty : new LabelSelector(matchers.AsReadOnly());
        error = string.Empty;
        return true;
    }

    private static bool TryReadString(string text, ref int pos, out string value, out string error)
    {
        value = string.Empty;
        if (pos >= text.Length || text[pos] is not ('"' or '\'' or '`'))
        {
            error = "expected a quoted value";
            return false;
        }

        var quote = text[pos++];
        var builder = new StringBuilder();

        // \x and octal escapes are bytes (as in Go and PromQL): consecutive ones are decoded together as UTF-8.
        var bytes = new List<byte>();
        while (pos < text.Length)
        {
            var c = text[pos++];
            if (c == '\\' && quote != '`' && pos < text.Length && text[pos] is ('x' or (>= '0' and <= '7')))
            {
                if (!TryReadByteEscape(text, ref pos, bytes, out error))
                {
                    return false;
                }

                continue;
            }

            if (!TryFlushBytes(bytes, builder, out error))
            {
                return false;
            }

            if (c == quote)
            {
                value = builder.ToString();
                error = string.Empty;
                return true;
            }

            if (c == '\\' && quote != '`')
            {
                if (pos >= text.Length)
                {
                    break;
                }

                if (!TryReadEscape(text, ref pos, quote, builder, out error))
                {
                    return false;
                }

                continue;
            }

            if (c == '\n' && quote != '`')
            {
                error = "unescaped newline in a quoted value";
                return false;
            }

            if (char.IsSurrogate(c))
            {
                // A label value is UTF-8 text: a lone surrogate has no encoding and would be sent altered.
                if (!char.IsHighSurrogate(c) || pos >= text.Length || !char.IsLowSurrogate(text[pos]))
                {
                    error = "a lone surrogate character in a quoted value";
                    return false;
                }

                builder.Append(c).Append(text[pos++]);
                continue;
            }

            builder.Append(c);
        }

        error = "unterminated quoted value";
        return false;
    }

    private static bool TryReadEscape(string text, ref int pos, char quote, StringBuilder builder, out string error)
    {
        error = string.Empty;
        var e = text[pos++];
        switch (e)
        {
            case 'a': builder.Append('\a'); return true;
            case 'b': builder.Append('\b'); return true;
            case 'f': builder.Append('\f'); return true;
            case 'n': builder.Append('\n'); return true;
            case 'r': builder.Append('\r'); return true;
            case 't': builder.Append('\t'); return true;
            case 'v': builder.Append('\v'); return true;
            case '\\': builder.Append('\\'); return true;
            case 'u': return TryReadHex(text, ref pos, 4, builder, out error);
            case 'U': return TryReadHex(text, ref pos, 8, builder, out error);
            default:
                if (e == quote)
                {
                    builder.Append(e);
                    return true;
                }

                error = $"unknown escape sequence '\\{e}'";
                return false;
        }
    }

    /// <summary>Reads <c>\xHH</c> or <c>\OOO</c> (at most <c>\377</c>) as one byte, like Go's <c>strconv.Unquote</c>.</summary>
    private static bool TryReadByteEscape(string text, ref int pos, List<byte> bytes, out string error)
    {
        var e = text[pos++];
        if (e == 'x')
        {
            if (pos + 2 > text.Length || !byte.TryParse(text.AsSpan(pos, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            {
                error = "invalid \\x escape (needs 2 hex digits)";
                return false;
            }

            bytes.Add(hex);
            pos += 2;
            error = string.Empty;
            return true;
        }

        if (pos + 2 > text.Length || !IsOctal(text[pos]) || !IsOctal(text[pos + 1]))
        {
            error = "octal escape needs three digits";
            return false;
        }

        var octal = ((e - '0') * 64) + ((text[pos] - '0') * 8) + (text[pos + 1] - '0');
        if (octal > byte.MaxValue)
        {
            error = "octal escape must be at most \\377";
            return false;
        }

        bytes.Add((byte)octal);
        pos += 2;
        error = string.Empty;
        return true;
    }

    /// <summary>Decodes pending escaped bytes as UTF-8; bytes that are not valid UTF-8 have no string equivalent.</summary>
    private static bool TryFlushBytes(List<byte> bytes, StringBuilder builder, out string error)
    {
        error = string.Empty;
        if (bytes.Count == 0)
        {
            return true;
        }

        try
        {
            builder.Append(StrictUtf8.GetString([.. bytes]));
        }
        catch (DecoderFallbackException)
        {
            error = "\\x or octal escapes must encode valid UTF-8 (" + Convert.ToHexString([.. bytes]) + " does not)";
            return false;
        }

        bytes.Clear();
        return true;
    }

    private static bool TryReadHex(string text, ref int pos, int digits, StringBuilder builder, out string error)
    {
        // Unsigned: "\UFFFFFFFF" must be an error, not the code point -1.
        if (pos + digits > text.Length ||
            !uint.TryParse(text.AsSpan(pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) ||
            code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
        {
            error = $"invalid \\x, \\u or \\U escape (needs {digits} hex digits of a valid code point)";
            return false;
        }

        builder.Append(char.ConvertFromUtf32((int)code));
        pos += digits;
        error = string.Empty;
        return true;
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    private static bool Next(string text, int pos, string token) => string.CompareOrdinal(text, pos, token, 0, token.Length) == 0;

    private static void SkipSpace(string text, ref int pos)
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos]))
        {
            pos++;
        }
    }

    private static string Error(string text, int position, string what) =>
        $"Invalid label selector at position {position}: {what}. Selector: {text}";
}
