using System.Text.Json;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>Reads the envelope shared by recording files: <c>{"format": "…", "&lt;items&gt;": [ … ]}</c>, with errors naming the file.</summary>
internal static class RecordingFile
{
    /// <summary>Parses the file, checks its format name and reads every item of <paramref name="arrayName"/>.</summary>
    /// <exception cref="FormatException">Not JSON, another format, no such array, or an item <paramref name="readItem"/> rejects.</exception>
    public static List<T> ReadItems<T>(Stream stream, string sourceName, string formatName, string arrayName, Func<JsonElement, string, T> readItem)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{sourceName}: not valid JSON ({ex.Message}).", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String ||
                format.GetString() != formatName)
            {
                throw new FormatException($"{sourceName}: expected \"format\": \"{formatName}\".");
            }

            if (!root.TryGetProperty(arrayName, out var items) || items.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{sourceName}: expected a \"{arrayName}\" array.");
            }

            var result = new List<T>();
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                result.Add(readItem(item, $"{sourceName}: {arrayName}[{index++}]"));
            }

            return result;
        }
    }
}
