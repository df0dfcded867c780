using System.Globalization;
using System.Text;

namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// Rewrites the OpenMetrics text the fixtures write (timestamps in seconds, as promtool reads them) into the Prometheus text
/// format VictoriaMetrics' <c>/api/v1/import/prometheus</c> reads (timestamps in milliseconds), line by line as it is written:
/// comment lines (<c># HELP</c>, <c># TYPE</c>, <c># EOF</c>) are dropped, every sample keeps its name, labels and value as
/// they are, and a sample without a timestamp is an error (VictoriaMetrics would stamp it with the current time).
/// </summary>
internal sealed class MillisecondTimestampWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _line = new(256);

    /// <summary>Number of samples written.</summary>
    public long Samples { get; private set; }

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            EndLine();
        }
        else
        {
            _line.Append(value);
        }
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var newline = buffer.IndexOf('\n');
            if (newline < 0)
            {
                _line.Append(buffer);
                return;
            }

            _line.Append(buffer[..newline]);
            EndLine();
            buffer = buffer[(newline + 1)..];
        }
    }

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Flush()
    {
        if (_line.Length > 0)
        {
            EndLine();
        }

        inner.Flush();
    }

    private void EndLine()
    {
        if (_line.Length == 0 || _line[0] == '#')
        {
            _line.Clear();
            return;
        }

        var line = _line.ToString();
        _line.Clear();

        // name{labels} value timestamp: label values may hold spaces, so split only after the label set.
        var labelsEnd = LabelSetEnd(line);
        var fields = line[labelsEnd..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 2)
        {
            throw new InvalidOperationException($"Every sample needs a value and a timestamp in seconds: '{line}'.");
        }

        var milliseconds = decimal.Parse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture) * 1000m;
        if (milliseconds != decimal.Truncate(milliseconds))
        {
            throw new InvalidOperationException($"The timestamp is not on the millisecond grid: '{line}'.");
        }

        inner.Write(line.AsSpan(0, labelsEnd));
        inner.Write(' ');
        inner.Write(fields[0]);
        inner.Write(' ');
        inner.Write(((long)milliseconds).ToString(CultureInfo.InvariantCulture));
        inner.Write('\n');
        Samples++;
    }

    // The index just after the closing '}' of the label set (quoted values may hold '}' and escaped quotes), or after the name.
    private static int LabelSetEnd(string line)
    {
        var open = line.IndexOf('{', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (open < 0 || (space >= 0 && space < open))
        {
            return space < 0 ? line.Length : space;
        }

        var quoted = false;
        for (var i = open + 1; i < line.Length; i++)
        {
            switch (line[i])
            {
                case '\\' when quoted:
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '}' when !quoted:
                    return i + 1;
            }
        }

        throw new InvalidOperationException($"Unclosed label set: '{line}'.");
    }
}
