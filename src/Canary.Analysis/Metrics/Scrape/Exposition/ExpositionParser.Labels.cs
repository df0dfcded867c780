namespace Canary.Analysis.Metrics.Scrape.Exposition;

// Label sets: names, quoted values with their escapes, and duplicate names found in linear time.
internal static partial class ExpositionParser
{
    private sealed partial class State
    {
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
