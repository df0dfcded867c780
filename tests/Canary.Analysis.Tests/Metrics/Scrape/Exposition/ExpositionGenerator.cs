using System.Globalization;
using System.Text;
using Canary.Analysis.Metrics.Scrape.Exposition;

namespace Canary.Analysis.Tests.Metrics.Scrape.Exposition;

/// <summary>Generates random but valid expositions (seeded) and the samples a parser must return for them.</summary>
internal sealed class ExpositionGenerator(int seed)
{
    private const string LabelValueChars = "abcXYZ019 _-/.:{}=,#\"\\\nπ€😀\t";
    private readonly Random _random = new(seed);

    public (string Text, List<ExpositionSample> Expected) Generate(ExpositionDialect dialect)
    {
        var om = dialect == ExpositionDialect.OpenMetrics;
        var text = new StringBuilder();
        var expected = new List<ExpositionSample>();
        var families = _random.Next(0, 6);
        for (var k = 0; k < families; k++)
        {
            var name = $"m{k}_{Word(1, 8)}";
            var type = _random.Next(5);
            var typeName = type switch
            {
                0 => "counter",
                1 => "gauge",
                2 => "histogram",
                3 => "summary",
                _ => om ? "unknown" : "untyped",
            };
            if (_random.Next(3) > 0)
            {
                text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(RandomText(0, 12), om)).Append('\n');
            }

            if (_random.Next(4) > 0 || type is 2 or 3 || (om && type == 0))
            {
                text.Append("# TYPE ").Append(name).Append(' ').Append(typeName).Append('\n');
            }
            else
            {
                type = 1; // untyped sample with the family's name: parsed like a gauge
            }

            if (om && _random.Next(4) == 0)
            {
                text.Append("# UNIT ").Append(name).Append(" seconds\n");
            }

            if (!om && _random.Next(5) == 0)
            {
                text.Append("# a plain comment ").Append(Word(0, 5)).Append('\n');
            }

            var seriesCount = _random.Next(1, 4);
            var usedLabelSets = new HashSet<string>(StringComparer.Ordinal);
            for (var s = 0; s < seriesCount; s++)
            {
                var labels = RandomLabels();
                if (!usedLabelSets.Add(string.Join('\0', labels.Select(l => l.Key + "=" + l.Value).Order(StringComparer.Ordinal))))
                {
                    continue;
                }

                switch (type)
                {
                    case 0:
                        Emit(text, expected, om ? name + "_total" : name, labels, null, om);
                        if (om && _random.Next(2) == 0)
                        {
                            EmitSkipped(text, name + "_created", labels, om);
                        }

                        break;
                    case 2:
                        var bounds = new SortedSet<double>();
                        for (var b = _random.Next(0, 5); b > 0; b--)
                        {
                            bounds.Add(Math.Round(_random.NextDouble() * 10, 3));
                        }

                        foreach (var bound in bounds.Append(double.PositiveInfinity))
                        {
                            Emit(text, expected, name + "_bucket", labels, ("le", FormatValue(bound)), om);
                        }

                        Emit(text, expected, name + "_sum", labels, null, om);
                        Emit(text, expected, name + "_count", labels, null, om);
                        if (om && _random.Next(2) == 0)
                        {
                            EmitSkipped(text, name + "_created", labels, om);
                        }

                        break;
                    case 3:
                        foreach (var q in new[] { "0.5", "0.99" })
                        {
                            Emit(text, expected, name, labels, ("quantile", q), om);
                        }

                        Emit(text, expected, name + "_sum", labels, null, om);
                        Emit(text, expected, name + "_count", labels, null, om);
                        break;
                    default:
                        Emit(text, expected, name, labels, null, om);
                        break;
                }
            }
        }

        if (om)
        {
            text.Append("# EOF");
            if (_random.Next(2) == 0)
            {
                text.Append('\n');
            }
        }

        return (text.ToString(), expected);
    }

    public static string FormatValue(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    public static string EscapeLabelValue(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static string EscapeHelp(string help, bool om)
    {
        var escaped = help.Replace("\\", "\\\\").Replace("\n", "\\n");
        return om ? escaped.Replace("\"", "\\\"") : escaped;
    }

    private void Emit(StringBuilder text, List<ExpositionSample> expected, string name, List<KeyValuePair<string, string>> labels, (string Name, string Value)? extra, bool om)
    {
        var all = new List<KeyValuePair<string, string>>(labels);
        if (extra is { } e)
        {
            all.Insert(_random.Next(all.Count + 1), new(e.Name, e.Value));
        }

        var value = RandomValue();
        double? timestamp = null;
        text.Append(name);
        if (all.Count > 0 || _random.Next(4) == 0)
        {
            text.Append('{').AppendJoin(',', all.Select(l => $"{l.Key}=\"{EscapeLabelValue(l.Value)}\"")).Append('}');
        }

        text.Append(' ').Append(FormatValue(value));
        if (_random.Next(4) == 0)
        {
            if (om)
            {
                var seconds = Math.Round(_random.NextDouble() * 2e9, 3);
                timestamp = seconds;
                text.Append(' ').Append(seconds.ToString("R", CultureInfo.InvariantCulture));
            }
            else
            {
                var ms = _random.NextInt64(-1_000_000, 4_000_000_000_000);
                timestamp = ms / 1000.0;
                text.Append(' ').Append(ms.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (om && _random.Next(5) == 0)
        {
            text.Append(" # {trace_id=\"").Append(Word(1, 16)).Append("\"} ").Append(FormatValue(Math.Round(_random.NextDouble(), 4)));
            if (_random.Next(2) == 0)
            {
                text.Append(" 1700000000.5");
            }
        }

        text.Append('\n');
        expected.Add(new ExpositionSample(name, [.. all], value, timestamp));
    }

    private static void EmitSkipped(StringBuilder text, string name, List<KeyValuePair<string, string>> labels, bool om)
    {
        _ = om;
        text.Append(name);
        if (labels.Count > 0)
        {
            text.Append('{').AppendJoin(',', labels.Select(l => $"{l.Key}=\"{EscapeLabelValue(l.Value)}\"")).Append('}');
        }

        text.Append(" 1.7e9\n");
    }

    private List<KeyValuePair<string, string>> RandomLabels()
    {
        var list = new List<KeyValuePair<string, string>>();
        var names = new HashSet<string>(StringComparer.Ordinal) { "le", "quantile" };
        for (var n = _random.Next(0, 4); n > 0; n--)
        {
            var labelName = (_random.Next(3) == 0 ? "_" : string.Empty) + Word(1, 6);
            if (names.Add(labelName))
            {
                list.Add(new(labelName, RandomText(0, 10)));
            }
        }

        return list;
    }

    private double RandomValue() => _random.Next(12) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => _random.NextDouble() * 1e300,
        4 => -_random.NextDouble(),
        5 => 0,
        _ => _random.Next(0, 100_000),
    };

    private string Word(int min, int max)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyzABCXYZ";
        var length = _random.Next(min, max + 1);
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(letters[_random.Next(letters.Length)]);
        }

        return builder.ToString();
    }

    private string RandomText(int min, int max)
    {
        var length = _random.Next(min, max + 1);
        var builder = new StringBuilder();
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(LabelValueChars);
        var pieces = new List<string>();
        while (elements.MoveNext())
        {
            pieces.Add(elements.GetTextElement());
        }

        for (var i = 0; i < length; i++)
        {
            builder.Append(pieces[_random.Next(pieces.Count)]);
        }

        return builder.ToString();
    }
}
