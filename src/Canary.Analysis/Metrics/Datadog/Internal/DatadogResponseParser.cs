using System.Text;
using System.Text.Json;
using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Metrics.Datadog.Internal;

/// <summary>Maps Datadog's v1 and v2 query responses to <see cref="MetricQueryResult"/>.</summary>
/// <remarks>
/// Every body that is not a valid response gives <see cref="MetricQueryException"/> with
/// <see cref="MetricQueryErrorKind.InvalidResponse"/>: malformed JSON, an unexpected shape, a string with an escaped lone
/// surrogate, a tag key given twice with different values, two series with the same tags, or a timestamp outside
/// <see cref="SaneTimestamps"/>. A body with <c>errors</c> is a <see cref="MetricQueryErrorKind.Backend"/> error even when it
/// also holds data (Datadog's way of reporting a query that partly failed): never a partial result judged as complete.
/// </remarks>
internal static class DatadogResponseParser
{
    /// <summary>v1 <c>/api/v1/query</c>: <c>series[]</c> with <c>pointlist</c> <c>[[ms, value|null], …]</c>, labels from <c>tag_set</c> (or <c>scope</c>).</summary>
    public static MetricQueryResult ParseV1(ReadOnlyMemory<byte> body, string query, int status) =>
        Guarded(body, query, status, static (root, query, status, _) => ReadV1(root, query, status), default);

    /// <summary>v2 <c>/api/v2/query/timeseries</c>: <c>data.attributes</c> with <c>series[].group_tags</c>, <c>times[]</c> and <c>values[][]</c>.</summary>
    public static MetricQueryResult ParseTimeseries(ReadOnlyMemory<byte> body, string query, int status) =>
        Guarded(body, query, status, static (root, query, status, _) => ReadTimeseries(root, query, status), default);

    /// <summary>
    /// v2 <c>/api/v2/query/scalar</c>: <c>data.attributes.columns[]</c>; <c>group</c> columns (one per tag key, one array of
    /// values per row) become labels, the first <c>number</c> column the value; null values (no data) are left out.
    /// </summary>
    public static MetricQueryResult ParseScalar(ReadOnlyMemory<byte> body, string query, int status, DateTimeOffset time) =>
        Guarded(body, query, status, static (root, query, status, time) => ReadScalar(root, query, status, time), time);

    private static MetricQueryResult Guarded(
        ReadOnlyMemory<byte> body, string query, int status, Func<JsonElement, string, int, DateTimeOffset, MetricQueryResult> read, DateTimeOffset time)
    {
        using var document = Parse(body, query, status);
        MetricQueryResult result;
        try
        {
            result = read(document.RootElement, query, status, time);
        }
        catch (InvalidOperationException ex)
        {
            // JsonElement: a value of another kind than the documented shape, or a string escaping a lone surrogate.
            throw new MetricQueryException(query, MetricQueryErrorKind.InvalidResponse, $"unexpected response shape or invalid string ({ex.Message})", status, innerException: ex);
        }

        if (LabelSetComparer.FindDuplicate(result.Series) is { } duplicate)
        {
            throw Invalid(query, status, $"two series have the same tags {duplicate}");
        }

        return result;
    }

    private static MetricQueryResult ReadV1(JsonElement root, string query, int status)
    {
        if (root.TryGetProperty("status", out var state) && state.ValueKind == JsonValueKind.String && state.ValueEquals("error"))
        {
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            throw new MetricQueryException(query, MetricQueryErrorKind.Backend, error ?? "status \"error\" without a message", status);
        }

        ThrowOnErrors(root, query, status);
        var series = new List<MetricSeries>();
        if (root.TryGetProperty("series", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                if (item.TryGetProperty("tag_set", out var tagSet) && tagSet.ValueKind == JsonValueKind.Array && tagSet.GetArrayLength() > 0)
                {
                    foreach (var tag in tagSet.EnumerateArray())
                    {
                        AddTag(labels, tag.GetString(), query, status);
                    }
                }
                else if (item.TryGetProperty("scope", out var scope) && scope.ValueKind == JsonValueKind.String && scope.GetString() is { } text && text != "*")
                {
                    foreach (var tag in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        AddTag(labels, tag, query, status);
                    }
                }

                if (item.TryGetProperty("metric", out var metric) && metric.ValueKind == JsonValueKind.String)
                {
                    SetLabel(labels, "__name__", metric.GetString()!, query, status);
                }

                var samples = new List<MetricSample>();
                if (item.TryGetProperty("pointlist", out var points) && points.ValueKind == JsonValueKind.Array)
                {
                    foreach (var point in points.EnumerateArray())
                    {
                        if (point.ValueKind != JsonValueKind.Array || point.GetArrayLength() < 2)
                        {
                            throw Invalid(query, status, "a pointlist entry is not a [timestamp, value] pair");
                        }

                        var value = point[1];
                        if (value.ValueKind == JsonValueKind.Null)
                        {
                            continue; // Datadog's "no data" for that interval.
                        }

                        samples.Add(new MetricSample(Time(point[0], query, status), Number(value, query, status)));
                    }
                }

                series.Add(new MetricSeries(labels, samples));
            }
        }

        return new MetricQueryResult(query, MetricResultType.Matrix, series);
    }

    private static MetricQueryResult ReadTimeseries(JsonElement root, string query, int status)
    {
        ThrowOnErrors(root, query, status);
        var attributes = Attributes(root);
        var series = new List<MetricSeries>();
        if (attributes is { } a && a.TryGetProperty("series", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            var times = a.TryGetProperty("times", out var t) && t.ValueKind == JsonValueKind.Array
                ? t.EnumerateArray().Select(x => Time(x, query, status)).ToArray()
                : [];
            var values = a.TryGetProperty("values", out var v) && v.ValueKind == JsonValueKind.Array ? v : default;
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                if (item.TryGetProperty("group_tags", out var tags) && tags.ValueKind == JsonValueKind.Array)
                {
                    foreach (var tag in tags.EnumerateArray())
                    {
                        AddTag(labels, tag.GetString(), query, status);
                    }
                }

                var samples = new List<MetricSample>();
                if (values.ValueKind == JsonValueKind.Array && index < values.GetArrayLength())
                {
                    var row = values[index];
                    if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() > times.Length)
                    {
                        throw Invalid(query, status, $"values[{index}] does not line up with times");
                    }

                    var i = 0;
                    foreach (var value in row.EnumerateArray())
                    {
                        if (value.ValueKind != JsonValueKind.Null)
                        {
                            samples.Add(new MetricSample(times[i], Number(value, query, status)));
                        }

                        i++;
                    }
                }

                series.Add(new MetricSeries(labels, samples));
                index++;
            }
        }

        return new MetricQueryResult(query, MetricResultType.Matrix, series);
    }

    private static MetricQueryResult ReadScalar(JsonElement root, string query, int status, DateTimeOffset time)
    {
        ThrowOnErrors(root, query, status);
        var series = new List<MetricSeries>();
        if (Attributes(root) is { } a && a.TryGetProperty("columns", out var columns) && columns.ValueKind == JsonValueKind.Array)
        {
            var groups = new List<(string Name, JsonElement Values)>();
            JsonElement? numbers = null;
            foreach (var column in columns.EnumerateArray())
            {
                var type = column.TryGetProperty("type", out var ty) && ty.ValueKind == JsonValueKind.String ? ty.GetString() : null;
                var name = column.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() ?? string.Empty : string.Empty;
                if (!column.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                if (type == "group")
                {
                    groups.Add((name, values));
                }
                else if (type == "number" && numbers is null)
                {
                    numbers = values;
                }
            }

            if (numbers is { } rows)
            {
                var row = 0;
                foreach (var value in rows.EnumerateArray())
                {
                    if (value.ValueKind != JsonValueKind.Null)
                    {
                        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                        foreach (var (name, values) in groups)
                        {
                            if (row >= values.GetArrayLength())
                            {
                                throw Invalid(query, status, $"group column '{name}' has fewer rows than the number column");
                            }

                            SetLabel(labels, name, GroupValue(name, values[row]), query, status);
                        }

                        series.Add(new MetricSeries(labels, [new MetricSample(time, Number(value, query, status))]));
                    }

                    row++;
                }
            }
        }

        return new MetricQueryResult(query, MetricResultType.Vector, series);
    }

    /// <summary>Reads <c>{"errors":["…", …]}</c> (or a string) from an error body; null when the body is not that.</summary>
    public static string? TryReadErrors(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return ErrorsOf(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The first bytes of a body, as text, for messages.</summary>
    public static string Snippet(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 200)]);
        return new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
    }

    private static string? ErrorsOf(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errors", out var errors))
        {
            return null;
        }

        return errors.ValueKind switch
        {
            JsonValueKind.String when !string.IsNullOrEmpty(errors.GetString()) => errors.GetString(),
            JsonValueKind.Array when errors.GetArrayLength() > 0 => string.Join("; ", errors.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
            _ => null,
        };
    }

    private static void ThrowOnErrors(JsonElement root, string query, int status)
    {
        if (ErrorsOf(root) is { } errors)
        {
            throw new MetricQueryException(query, MetricQueryErrorKind.Backend, errors, status);
        }
    }

    private static JsonElement? Attributes(JsonElement root) =>
        root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object
            ? attributes
            : null;

    private static string GroupValue(string name, JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.Array => string.Join(",", value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
            JsonValueKind.String => value.GetString() ?? string.Empty,
            _ => value.GetRawText(),
        };
        var prefix = name + ":";
        return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
    }

    private static void AddTag(Dictionary<string, string> labels, string? tag, string query, int status)
    {
        if (string.IsNullOrEmpty(tag))
        {
            return;
        }

        var colon = tag.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            SetLabel(labels, tag, string.Empty, query, status);
        }
        else
        {
            SetLabel(labels, tag[..colon], tag[(colon + 1)..], query, status);
        }
    }

    // A key given twice with different values would otherwise be decided by order ("last wins").
    private static void SetLabel(Dictionary<string, string> labels, string key, string value, string query, int status)
    {
        if (!labels.TryAdd(key, value) && !string.Equals(labels[key], value, StringComparison.Ordinal))
        {
            throw Invalid(query, status, $"tag '{key}' has two values in one series ('{labels[key]}' and '{value}')");
        }
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> body, string query, int status)
    {
        try
        {
            var document = JsonDocument.Parse(body, JsonDuplicateKeys.Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw Invalid(query, status, "the body is not a JSON object");
            }

#if !NET10_0_OR_GREATER
            if (JsonDuplicateKeys.Find(document.RootElement) is { } duplicate)
            {
                document.Dispose();
                throw Invalid(query, status, $"a key appears twice in one object ({duplicate})");
            }
#endif

            return document;
        }
        catch (JsonException ex)
        {
            throw new MetricQueryException(query, MetricQueryErrorKind.InvalidResponse, $"the body is not valid JSON: {ex.Message}", status, innerException: ex);
        }
        catch (InvalidOperationException ex)
        {
            // Checking for duplicate keys decodes the property names: one escaping a lone surrogate fails there.
            throw new MetricQueryException(query, MetricQueryErrorKind.InvalidResponse, $"the body has a property name that is not valid Unicode: {ex.Message}", status, innerException: ex);
        }
    }

    private static DateTimeOffset Time(JsonElement value, string query, int status) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var ms) && SaneTimestamps.ContainsMilliseconds(ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms)
            : throw Invalid(query, status, $"'{value.GetRawText()}' is not a timestamp in milliseconds {SaneTimestamps.Description}");

    private static double Number(JsonElement value, string query, int status) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
            ? number
            : throw Invalid(query, status, $"'{value.GetRawText()}' is not a number");

    private static MetricQueryException Invalid(string query, int status, string message) =>
        new(query, MetricQueryErrorKind.InvalidResponse, message, status);
}
