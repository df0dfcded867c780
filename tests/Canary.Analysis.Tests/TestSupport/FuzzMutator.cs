using System.Text;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>
/// A small, deterministic mutation fuzzer for parser tests: from a seed and a corpus of valid inputs it produces
/// variants with byte- (or char-) level damage (bit flips, random bytes, deletions, duplications, truncation, splices of
/// two inputs) and token-level damage (a tricky token inserted, or replacing a run of letters/digits). The same seed always
/// gives the same sequence, so a failure is reproduced from the seed and the iteration it reports.
/// </summary>
/// <remarks>
/// Use <see cref="NextBytes"/> for parsers of bytes (JSON bodies, exposition text) and <see cref="NextString"/> for parsers
/// of .NET strings (where lone UTF-16 surrogates matter). <see cref="JsonTokens"/> and <see cref="TextTokens"/> are
/// starting sets of tokens; pass your own for other grammars.
/// </remarks>
internal sealed class FuzzMutator
{
    private const string Structural = "\"{}[],:\\ \n'`=~!";

    private readonly Random _random;
    private readonly byte[][] _corpus;
    private readonly byte[][] _tokens;
    private readonly string[] _textCorpus;
    private readonly string[] _textTokens;

    /// <summary>Creates a mutator over byte inputs.</summary>
    /// <param name="seed">The seed of the <see cref="Random"/> (fixed in tests).</param>
    /// <param name="corpus">Valid inputs to mutate; at least one.</param>
    /// <param name="tokens">Tricky tokens to insert; <see cref="JsonTokens"/> when null.</param>
    public FuzzMutator(int seed, IEnumerable<byte[]> corpus, IEnumerable<string>? tokens = null)
        : this(seed, corpus.ToArray(), [], tokens ?? JsonTokens)
    {
    }

    private FuzzMutator(int seed, byte[][] corpus, string[] textCorpus, IEnumerable<string> tokens)
    {
        _random = new Random(seed);
        _corpus = corpus;
        _textCorpus = textCorpus;
        _textTokens = tokens.ToArray();
        _tokens = _textTokens.Select(Encoding.UTF8.GetBytes).ToArray();
        if (_corpus.Length == 0 && _textCorpus.Length == 0)
        {
            throw new ArgumentException("The corpus must not be empty.", nameof(corpus));
        }
    }

    /// <summary>Tokens that break JSON readers and number/time/string handling.</summary>
    public static IReadOnlyList<string> JsonTokens { get; } =
    [
        "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u0000", "\\uFFFF", "\\\"", "\\", "\"", "\u00e9", "\U0001F600",
        "NaN", "Infinity", "-Infinity", "\"NaN\"", "\"+Inf\"", "\"-Inf\"", "null", "true", "false", "{}", "[]", "[", "]", "{", "}", ",", ":",
        "0", "-0", "1e400", "-1e400", "1e-400", "9007199254740993", "18446744073709551616", "-99999999999", "9999999999999999",
        "99999999999999999999999999", "1.7976931348623157e308", "4.9e-324", "0.1", "-1", "1e", "01", ".5", "+1",
        "\"9007199254740993\"", "\"1e400\"", "\"-1\"", "\"\"",
        new string('[', 80) + new string(']', 80), new string('{', 40) + "\"a\":" + new string('}', 40),
        "\"status\":\"success\"", "\"status\":\"error\"", "\"metric\":{}", "\"value\":[1,\"1\"]", "\"values\":[[1,\"1\"]]",
        "\"resultType\":\"vector\"", "\"resultType\":\"matrix\"", "\"resultType\":\"scalar\"", "\"resultType\":\"string\"",
        "\"warnings\":[\"partial\"]", "\"code\":\"200\"", "\"code\":\"500\"", "\"histogram\":[1,{}]",
    ];

    /// <summary>Tokens that break text grammars (selectors, exposition lines): escapes, quotes, operators, surrogates.</summary>
    public static IReadOnlyList<string> TextTokens { get; } =
    [
        "\\u", "\\U", "\\x", "\\0", "\\377", "\\400", "\\xff", "\\UFFFFFFFF", "\\U0010FFFF", "\\U00110000", "\\uD800", "\\uDFFF",
        "\\U0001F600", "\\n", "\\\\", "\\\"", "\\'", "\\`", "\\", "\"", "'", "`", "\n", "\r", "\t", "\0",
        "\ud800", "\udc00", "\U0001F600", "\u00e9", "\uFFFD",
        "=", "!=", "=~", "!~", ",", "{", "}", " ", "#", "+Inf", "-Inf", "NaN", "1e400", "9007199254740993", "-99999999999",
        "(a+)+b", "(?=a)", "(?<!a)", "(?>a)", "\\1", "(?i)", "[", "]", "(", ")", "*", "+", "?", "{1000}", "{99999999999}", ".*", "|", "^", "$",
        new string('(', 200) + new string(')', 200), new string('a', 300),
    ];

    /// <summary>Creates a mutator over .NET strings (selectors and other text APIs).</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="corpus">Valid inputs to mutate; at least one.</param>
    /// <param name="tokens">Tricky tokens; <see cref="TextTokens"/> when null.</param>
    /// <returns>The mutator.</returns>
    public static FuzzMutator ForText(int seed, IEnumerable<string> corpus, IEnumerable<string>? tokens = null) =>
        new(seed, [], corpus.ToArray(), tokens ?? TextTokens);

    /// <summary>Gets how many inputs were produced so far (the iteration to report on a failure).</summary>
    public int Count { get; private set; }

    /// <summary>Returns the next mutated byte input: a corpus item with one to four mutations.</summary>
    /// <returns>The input.</returns>
    public byte[] NextBytes()
    {
        Count++;
        var input = new List<byte>(_corpus[_random.Next(_corpus.Length)]);
        var mutations = 1 + _random.Next(4);
        for (var i = 0; i < mutations; i++)
        {
            Mutate(input, _tokens, () => _corpus[_random.Next(_corpus.Length)], b => (byte)b, IsWordByte);
        }

        return [.. input];
    }

    /// <summary>Returns the next mutated string (char-level, so lone surrogates appear).</summary>
    /// <returns>The input.</returns>
    public string NextString()
    {
        Count++;
        var input = new List<char>(_textCorpus[_random.Next(_textCorpus.Length)]);
        var mutations = 1 + _random.Next(4);
        for (var i = 0; i < mutations; i++)
        {
            Mutate(input, _textTokens.Select(t => t.ToCharArray()).ToArray(), () => _textCorpus[_random.Next(_textCorpus.Length)].ToCharArray(), b => (char)b, char.IsAsciiLetterOrDigit);
        }

        return new string([.. input]);
    }

    /// <summary>Describes an input for a failure message: the iteration and the input escaped to printable ASCII.</summary>
    /// <param name="input">The input that failed.</param>
    /// <returns>The description.</returns>
    public string Describe(byte[] input) => $"iteration {Count}, input (base64) {Convert.ToBase64String(input)}";

    /// <summary>Describes a string input for a failure message.</summary>
    /// <param name="input">The input that failed.</param>
    /// <returns>The description.</returns>
    public string Describe(string input) =>
        $"iteration {Count}, input {string.Concat(input.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}"))}";

    private static bool IsWordByte(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'.' or (byte)'-';

    private void Mutate<T>(List<T> input, T[][] tokens, Func<T[]> other, Func<int, T> fromByte, Func<T, bool> isWord)
    {
        var at = input.Count == 0 ? 0 : _random.Next(input.Count + 1);
        switch (_random.Next(9))
        {
            case 0 when input.Count > 0: // flip one bit
                at = Math.Min(at, input.Count - 1);
                input[at] = fromByte(Convert.ToInt32(input[at]) ^ (1 << _random.Next(8)));
                break;
            case 1 when input.Count > 0: // a random byte, often a structural one
                at = Math.Min(at, input.Count - 1);
                input[at] = fromByte(_random.Next(3) == 0 ? Structural[_random.Next(Structural.Length)] : _random.Next(256));
                break;
            case 2 when input.Count > 0: // delete a run
                input.RemoveRange(Math.Min(at, input.Count - 1), Math.Min(1 + _random.Next(8), input.Count - Math.Min(at, input.Count - 1)));
                break;
            case 3 when input.Count > 0: // duplicate a run (duplicate keys, series, labels)
            {
                var start = _random.Next(input.Count);
                var length = Math.Min(1 + _random.Next(64), input.Count - start);
                input.InsertRange(at, input.GetRange(start, length));
                break;
            }

            case 4: // truncate
                if (input.Count > 0)
                {
                    input.RemoveRange(at == input.Count ? input.Count - 1 : at, input.Count - (at == input.Count ? input.Count - 1 : at));
                }

                break;
            case 5: // splice: the head of this input, the tail of another
            {
                var tail = other();
                var from = tail.Length == 0 ? 0 : _random.Next(tail.Length);
                input.RemoveRange(at, input.Count - at);
                input.AddRange(tail.AsSpan(from).ToArray());
                break;
            }

            case 6 or 7: // replace a word (a number, a name, a value) with a token
            {
                var start = at;
                while (start < input.Count && !isWord(input[start]))
                {
                    start++;
                }

                var end = start;
                while (end < input.Count && isWord(input[end]))
                {
                    end++;
                }

                input.RemoveRange(start, end - start);
                input.InsertRange(start, tokens[_random.Next(tokens.Length)]);
                break;
            }

            default: // insert a token
                input.InsertRange(at, tokens[_random.Next(tokens.Length)]);
                break;
        }
    }
}
