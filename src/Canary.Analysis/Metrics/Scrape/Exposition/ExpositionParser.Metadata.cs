namespace Canary.Analysis.Metrics.Scrape.Exposition;

// Metadata lines: # HELP, # TYPE, # UNIT and plain comments.
internal static partial class ExpositionParser
{
    private sealed partial class State
    {
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
    }
}
