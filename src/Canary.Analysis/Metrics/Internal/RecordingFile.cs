using System.Text.Json;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>Reads the envelope shared by recording files: <c>{"format": "…", "&lt;items&gt;": [ … ]}</c>, with errors naming the file.</summary>
internal static class RecordingFile
{
    // A key given twice is ambiguous: rejected by the runtime from .NET 10, by JsonDuplicateKeys before.
#if NET10_0_OR_GREATER
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowDuplicateProperties = false };
#else
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };
#endif

    /// <summary>Parses the file, checks its format name and reads every item of <paramref name="arrayName"/>.</summary>
    /// <exception cref="FormatException">
    /// Not JSON, another format, no such array, or an item <paramref name="readItem"/> rejects; also a value of another
    /// kind than <paramref name="readItem"/> expects or a string escaping a lone surrogate (which <see cref="JsonElement"/>
    /// reports as <see cref="InvalidOperationException"/>).
    /// </exception>
    public static List<T> ReadItems<T>(Stream stream, string sourceName, string formatName, string arrayName, Func<JsonElement, string, T> readItem)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, Options);
#if !NET10_0_OR_GREATER
            if (JsonDuplicateKeys.Find(document.RootElement) is { } duplicate)
            {
                document.Dispose();
                throw new FormatException($"{sourceName}: a key appears twice in one object ({duplicate}).");
            }
#endif
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{sourceName}: not valid JSON ({ex.Message}).", ex);
        }
        catch (InvalidOperationException ex)
        {
            // Checking for duplicate keys decodes the property names: one escaping a lone surrogate fails there.
            throw new FormatException($"{sourceName}: a property name is not valid Unicode ({ex.Message}).", ex);
        }

        using (document)
        {
            try
            {
                return ReadItems(document.RootElement, sourceName, formatName, arrayName, readItem);
            }
            catch (InvalidOperationException ex)
            {
                throw new FormatException($"{sourceName}: a value has an unexpected kind or a string is not valid Unicode ({ex.Message}).", ex);
            }
        }
    }

    private static List<T> ReadItems<T>(JsonElement root, string sourceName, string formatName, string arrayName, Func<JsonElement, string, T> readItem)
    {
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
            var where = $"{sourceName}: {arrayName}[{index++}]";
            try
            {
                result.Add(readItem(item, where));
            }
            catch (InvalidOperationException ex)
            {
                throw new FormatException($"{where}: a value has an unexpected kind or a string is not valid Unicode ({ex.Message}).", ex);
            }
        }

        return result;
    }
}
