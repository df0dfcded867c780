using System.Text.Json;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>Reads the envelope shared by recording files: <c>{"format": "…", "&lt;items&gt;": [ … ]}</c>, with errors naming the file.</summary>
internal static class RecordingFile
{
    /// <summary>Opens the recording file at <paramref name="path"/> and reads it with <paramref name="load"/>, naming the file in errors.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    public static T Load<T>(string path, Func<Stream, string, T> load)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return load(stream, path);
    }

    /// <summary>
    /// Keeps recorded items in order and groups them by key into <paramref name="byKey"/> (each key's items in order): how a
    /// recording answers, the first matching item first.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> or an item is null (named <paramref name="paramName"/>).</exception>
    public static IReadOnlyList<T> Index<T, TValue>(IEnumerable<T> items, string paramName, Dictionary<string, List<TValue>> byKey, Func<T, string> key, Func<T, TValue> value)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(items, paramName);
        var all = new List<T>();
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item, paramName);
            all.Add(item);
            var itemKey = key(item);
            if (!byKey.TryGetValue(itemKey, out var list))
            {
                list = [];
                byKey.Add(itemKey, list);
            }

            list.Add(value(item));
        }

        return all.AsReadOnly();
    }

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
            document = JsonDocument.Parse(stream, JsonDuplicateKeys.Options);
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
