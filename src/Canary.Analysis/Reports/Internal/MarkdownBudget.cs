using System.Text;

namespace Canary.Analysis.Reports.Internal;

/// <summary>
/// Markdown written line by line within a size in UTF-8 bytes: once a line does not fit, it and every later line are left
/// out, and <see cref="ToString"/> ends with a note saying how many (room for the note is kept from the start).
/// </summary>
internal sealed class MarkdownBudget(int maximumBytes)
{
    /// <summary>Room kept for the truncation note.</summary>
    private const int NoteRoom = 400;

    private readonly StringBuilder _text = new();
    private int _bytes;
    private int _omitted;

    public bool Truncated => _omitted > 0;

    public void Line(string line = "")
    {
        var size = Encoding.UTF8.GetByteCount(line) + 1;
        if (_omitted > 0 || _bytes + size > maximumBytes - NoteRoom)
        {
            _omitted++;
            return;
        }

        _text.Append(line).Append('\n');
        _bytes += size;
    }

    public override string ToString() => Truncated
        ? _text.ToString() + $"\n> **Truncated:** {_omitted} more line(s) left out to stay under {maximumBytes} bytes (GitHub's step summary limit); `report.json` has everything.\n"
        : _text.ToString();
}
