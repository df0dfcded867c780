using System.Text;
using Canary.Analysis.Metrics.Scrape.Exposition;

namespace Canary.Analysis.Tests.Metrics.Scrape.Exposition;

/// <summary>Seeded property tests: generated documents round-trip; mutated documents parse or throw only the documented exception.</summary>
public sealed class ExpositionParserPropertyTests
{
    private const string Noise = "{}\",=\\#\n \t0aZ_+-.eE:π😀\r";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Parse_GeneratedDocuments_RoundTrip(bool openMetrics)
    {
        var dialect = openMetrics ? ExpositionDialect.OpenMetrics : ExpositionDialect.PrometheusText;
        for (var seed = 0; seed < 500; seed++)
        {
            var (text, expected) = new ExpositionGenerator(seed).Generate(dialect);

            var actual = ExpositionParser.Parse(Encoding.UTF8.GetBytes(text), dialect).Samples.ToList();

            Assert.True(expected.Count == actual.Count, $"seed {seed}: {expected.Count} samples expected, {actual.Count} parsed\n{text}");
            for (var i = 0; i < expected.Count; i++)
            {
                var (e, a) = (expected[i], actual[i]);
                Assert.True(e.Name == a.Name, $"seed {seed}, sample {i}: name {a.Name} != {e.Name}");
                Assert.True(e.Labels.SequenceEqual(a.Labels), $"seed {seed}, sample {i}: labels differ\n{text}");
                Assert.True(e.Value.Equals(a.Value), $"seed {seed}, sample {i}: value {a.Value} != {e.Value}");
                Assert.True(Nullable.Equals(e.TimestampSeconds, a.TimestampSeconds), $"seed {seed}, sample {i}: timestamp {a.TimestampSeconds} != {e.TimestampSeconds}");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Parse_MutatedDocuments_ParseOrThrowOnlyExpositionParseException(bool openMetrics)
    {
        var dialect = openMetrics ? ExpositionDialect.OpenMetrics : ExpositionDialect.PrometheusText;
        var random = new Random(20260101 + (int)dialect);
        var parsed = 0;
        var rejected = 0;
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var (text, _) = new ExpositionGenerator(iteration).Generate(dialect);
            var mutated = Mutate(text, random);
            try
            {
                if (random.Next(3) == 0)
                {
                    var bytes = Encoding.UTF8.GetBytes(mutated);
                    if (bytes.Length > 0)
                    {
                        bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    }

                    ExpositionParser.Parse(bytes, dialect);
                }
                else
                {
                    ExpositionParser.Parse(mutated, dialect);
                }

                parsed++;
            }
            catch (ExpositionParseException error)
            {
                Assert.True(error.LineNumber >= 1 || error.InnerException is not null, error.Message);
                rejected++;
            }
            catch (Exception other)
            {
                Assert.Fail($"iteration {iteration}: {other.GetType().Name}: {other.Message}\n--- input ---\n{mutated}");
            }
        }

        Assert.True(parsed > 100 && rejected > 100, $"parsed {parsed}, rejected {rejected}: the mutations should exercise both outcomes");
    }

    private static string Mutate(string text, Random random)
    {
        var builder = new StringBuilder(text);
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var position = builder.Length == 0 ? 0 : random.Next(builder.Length);
            switch (random.Next(6))
            {
                case 0 when builder.Length > 0:
                    builder.Remove(position, 1);
                    break;
                case 1:
                    builder.Insert(position, Noise[random.Next(Noise.Length)]);
                    break;
                case 2 when builder.Length > 0:
                    builder[position] = Noise[random.Next(Noise.Length)];
                    break;
                case 3:
                    builder.Length = position; // truncation
                    break;
                case 4:
                    var lines = builder.ToString().Split('\n').ToList();
                    if (lines.Count > 1)
                    {
                        var line = random.Next(lines.Count);
                        lines.Insert(random.Next(lines.Count), lines[line]);
                    }

                    builder.Clear().AppendJoin('\n', lines);
                    break;
                default:
                    builder.Insert(position, random.Next(2) == 0 ? "1e999" : "\\");
                    break;
            }
        }

        return builder.ToString();
    }
}
