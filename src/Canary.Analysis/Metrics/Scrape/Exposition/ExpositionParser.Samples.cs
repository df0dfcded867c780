using System.Globalization;
using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Metrics.Scrape.Exposition;

// Sample lines: value, timestamp (per dialect) and OpenMetrics exemplars.
internal static partial class ExpositionParser
{
    private sealed partial class State
    {
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
    }
}
