using System.Text;
using Canary.Analysis.Metrics.Scrape.Exposition;

namespace Canary.Analysis.Tests.Metrics.Scrape.Exposition;

/// <summary>
/// Seeded byte-level fuzzing: 200 000 mutations (100 000 per dialect) of valid expositions (byte flips, truncations, duplicate labels and
/// lines, huge and special numbers, escapes, invalid UTF-8). The parser either returns a well-formed document or throws
/// <see cref="ExpositionParseException"/>; nothing else, ever.
/// </summary>
public sealed class ExpositionParserFuzzTests
{
    private const int InputsPerDialect = 100_000;

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xC0, 0x80], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xF0, 0x9F, 0x98],
    ];

    private static readonly string[] Fragments =
    [
        "1e309", "-1e309", "9007199254740993", "1e-400", "NaN", "+Inf", "-Inf", "Infinity", "nan", "0x1F", "1_000", "١",
        "99999999999999999999999999999999999999999999999999999999999999999999999999999999", "-0", ".5", "5.", "1e", "+",
        "\\", "\\\\", "\\n", "\\\"", "\\t", "\\u0041", "\"", "{", "}", ",", "=", "#", "# EOF", "\n", "\r\n", "\t", " ",
        "le=\"+Inf\"", "a=\"1\",a=\"2\"", "{a=\"1\",a=\"1\"}", "_total", "_created", "_bucket", "# TYPE x counter\n",
        "# HELP x \\q\n", "# UNIT x s\n", " # {a=\"b\"} 1 2", "\0", "π", "😀",
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Parse_MutatedBytes_DocumentOrExpositionParseExceptionOnly(bool openMetrics)
    {
        var dialect = openMetrics ? ExpositionDialect.OpenMetrics : ExpositionDialect.PrometheusText;
        // Small documents (up to 1 KiB) keep 100 000 parses within a couple of seconds.
        var corpus = Enumerable.Range(0, 400)
            .Select(seed => Encoding.UTF8.GetBytes(new ExpositionGenerator(1000 + seed).Generate(dialect).Text))
            .Where(document => document.Length is > 0 and <= 1024)
            .Take(64)
            .ToArray();
        Assert.Equal(64, corpus.Length);
        var random = new Random(9_000 + (int)dialect);
        int parsed = 0, rejected = 0, invalidUtf8 = 0;
        var input = new List<byte>(4096);
        for (var iteration = 0; iteration < InputsPerDialect; iteration++)
        {
            input.Clear();
            input.AddRange(corpus[random.Next(corpus.Length)]);
            for (var n = random.Next(1, 5); n > 0; n--)
            {
                Mutate(input, random, corpus);
            }

            var bytes = input.ToArray();
            try
            {
                var document = ExpositionParser.Parse(bytes, dialect);
                AssertWellFormed(document, iteration);
                parsed++;
            }
            catch (ExpositionParseException error)
            {
                Assert.False(string.IsNullOrEmpty(error.Message));
                Assert.True(error.Snippet.Length <= 80, $"iteration {iteration}: snippet of {error.Snippet.Length} chars");
                if (error.InnerException is not null)
                {
                    invalidUtf8++;
                }

                rejected++;
            }
            catch (Exception other)
            {
                Assert.Fail($"iteration {iteration}: {other.GetType().Name}: {other.Message}\n--- input (base64) ---\n{Convert.ToBase64String(bytes)}");
            }
        }

        Assert.Equal(InputsPerDialect, parsed + rejected);
        Assert.True(parsed > 1_000 && rejected > 10_000 && invalidUtf8 > 1_000, $"parsed {parsed}, rejected {rejected} ({invalidUtf8} invalid UTF-8): the mutations should exercise every outcome");
    }

    [Fact]
    public void Parse_AnyInvalidUtf8_Rejected()
    {
        var valid = Encoding.UTF8.GetBytes("# TYPE c counter\nc{a=\"π\"} 1\n");
        var random = new Random(77);
        for (var iteration = 0; iteration < 2_000; iteration++)
        {
            var bytes = valid.ToList();
            bytes.InsertRange(random.Next(bytes.Count + 1), InvalidUtf8[random.Next(InvalidUtf8.Length)]);

            var error = Assert.Throws<ExpositionParseException>(() => ExpositionParser.Parse(bytes.ToArray(), ExpositionDialect.PrometheusText));

            Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
        }
    }

    private static void AssertWellFormed(ExpositionDocument document, int iteration)
    {
        foreach (var sample in document.Samples)
        {
            Assert.False(string.IsNullOrEmpty(sample.Name), $"iteration {iteration}: a sample without a name");
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var label in sample.Labels)
            {
                Assert.True(names.Add(label.Key), $"iteration {iteration}: label '{label.Key}' twice in {sample.Name}");
            }
        }
    }

    private static void Mutate(List<byte> input, Random random, byte[][] corpus)
    {
        var position = random.Next(input.Count + 1);
        switch (random.Next(10))
        {
            case 0 when input.Count > 0: // flip a bit
                var at = random.Next(input.Count);
                input[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when input.Count > 0: // set a random byte
                input[random.Next(input.Count)] = (byte)random.Next(256);
                break;
            case 2: // truncate
                input.RemoveRange(position, input.Count - position);
                break;
            case 3 when input.Count > 0: // delete a range
                var start = random.Next(input.Count);
                input.RemoveRange(start, Math.Min(random.Next(1, 16), input.Count - start));
                break;
            case 4: // insert invalid UTF-8
                input.InsertRange(position, InvalidUtf8[random.Next(InvalidUtf8.Length)]);
                break;
            case 5: // duplicate a label: repeat the first "name=\"value\"" after its '{'
                DuplicateFirstLabel(input);
                break;
            case 6: // duplicate a line
                DuplicateLine(input, random);
                break;
            case 7: // splice in a piece of another document
                var other = corpus[random.Next(corpus.Length)];
                var from = random.Next(other.Length + 1);
                input.InsertRange(position, other.Skip(from).Take(random.Next(1, 64)));
                break;
            default: // huge/special numbers, escapes, structure
                input.InsertRange(position, Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]));
                break;
        }
    }

    private static void DuplicateFirstLabel(List<byte> input)
    {
        var open = input.IndexOf((byte)'{');
        if (open < 0)
        {
            return;
        }

        var end = open + 1;
        var quotes = 0;
        while (end < input.Count && quotes < 2)
        {
            if (input[end] == (byte)'"' && input[end - 1] != (byte)'\\')
            {
                quotes++;
            }

            end++;
        }

        if (quotes == 2)
        {
            var label = input.GetRange(open + 1, end - open - 1);
            label.Add((byte)',');
            input.InsertRange(open + 1, label);
        }
    }

    private static void DuplicateLine(List<byte> input, Random random)
    {
        if (input.Count == 0)
        {
            return;
        }

        var start = random.Next(input.Count);
        while (start > 0 && input[start - 1] != (byte)'\n')
        {
            start--;
        }

        var end = input.IndexOf((byte)'\n', start);
        if (end < 0)
        {
            return;
        }

        input.InsertRange(start, input.GetRange(start, end - start + 1));
    }
}
