using System.Text;
using System.Text.Json;

namespace Canary.Analysis.Metrics.Datadog.Internal;

/// <summary>Maps Datadog's v1 and v2 query responses to <see cref="MetricQueryResult"/>.</summary>
internal static class DatadogResponseParser
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>v1 <c>/api/v1/query</c>: <c>series[]</c> with <c>pointlist</c> <c>[[ms, value|null], …]</c>, labels from <c>tag_set</c> (or <c>scope</c>).</summary>
    public static MetricQueryResult ParseV1(ReadOnlyMemory<byte> body, string query, int status)
    {
        using var document = Parse(body, query, status);
        var root = document.RootElement;
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
                        AddTag(labels, tag.GetString());
                    }
                }
                else if (item.TryGetProperty("scope", out var scope) && scope.ValueKind == JsonValueKind.String && scope.GetString() is { } text && text != "*")
                {
                    foreach (var tag in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        AddTag(labels, tag);
                    }
                }

                if (item.TryGetProperty("metric", out var metric) && metric.ValueKind == JsonValueKind.String)
                {
                    labels["__name__"] = metric.GetString()!;
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

    /// <summary>v2 <c>/api/v2/query/timeseries</c>: <c>data.attributes</c> with <c>series[].group_tags</c>, <c>times[]</c> and <c>values[][]</c>.</summary>
    public static MetricQueryResult ParseTimeseries(ReadOnlyMemory<byte> body, string query, int status)
    {
        using var document = Parse(body, query, status);
        var root = document.RootElement;
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
                        AddTag(labels, tag.GetString());
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

    /// <summary>
    /// v2 <c>/api/v2/query/scalar</c>: <c>data.attributes.columns[]</c>; <c>group</c> columns (one per tag key, one array of
    /// values per row) become labels, the first <c>number</c> column the value; null values (no data) are left out.
    /// </summary>
    public static MetricQueryResult ParseScalar(ReadOnlyMemory<byte> body, string query, int status, DateTimeOffset time)
    {
        using var document = Parse(body, query, status);
        var root = document.RootElement;
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

                            labels[name] = GroupValue(name, values[row]);
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

    private static void AddTag(Dictionary<string, string> labels, string? tag)
    {
        if (string.IsNullOrEmpty(tag))
        {
            return;
        }

        var colon = tag.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            labels[tag] = string.Empty;
        }
        else
        {
            labels[tag[..colon]] = tag[(colon + 1)..];
        }
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> body, string query, int status)
    {
        try
        {
            var document = JsonDocument.Parse(body, Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw Invalid(query, status, "the body is not a JSON object");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new MetricQueryException(query, MetricQueryErrorKind.InvalidResponse, $"the body is not valid JSON: {ex.Message}", status, innerException: ex);
        }
    }

    private static DateTimeOffset Time(JsonElement value, string query, int status) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var ms) && double.IsFinite(ms) && Math.Abs(ms) < 253402300799999
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms)
            : throw Invalid(query, status, $"'{value.GetRawText()}' is not a timestamp in milliseconds");

    private static double Number(JsonElement value, string query, int status) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
            ? number
            : throw Invalid(query, status, $"'{value.GetRawText()}' is not a number");

    private static MetricQueryException Invalid(string query, int status, string message) =>
        new(query, MetricQueryErrorKind.InvalidResponse, message, status);
}
