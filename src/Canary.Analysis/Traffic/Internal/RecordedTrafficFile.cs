using Canary.Analysis.Metrics.Internal;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Canary.Analysis.Traffic.Internal;

/// <summary>Reads and writes the <c>canary-analysis/recorded-traffic/v1</c> file format.</summary>
internal static class RecordedTrafficFile
{
    internal const string FormatName = "canary-analysis/recorded-traffic/v1";

    private static readonly (StatusClass Class, string Key)[] ClassKeys =
    [
        (StatusClass.Other, "other"), (StatusClass.Informational, "1xx"), (StatusClass.Success, "2xx"),
        (StatusClass.Redirection, "3xx"), (StatusClass.ClientError, "4xx"), (StatusClass.ServerError, "5xx"),
    ];

    internal static async Task WriteAsync(Stream stream, IReadOnlyList<RecordedTrafficSnapshot> snapshots, CancellationToken cancellationToken)
    {
        var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("format", FormatName);
            writer.WriteStartArray("snapshots");
            foreach (var recorded in snapshots)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Write(writer, recorded);
                if (writer.BytesPending > 64 * 1024)
                {
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal static List<RecordedTrafficSnapshot> Read(Stream stream, string sourceName) =>
        RecordingFile.ReadItems(stream, sourceName, FormatName, "snapshots", ReadSnapshot);

    private static void Write(Utf8JsonWriter writer, RecordedTrafficSnapshot recorded)
    {
        var (query, snapshot) = (recorded.Query, recorded.Snapshot);
        writer.WriteStartObject();
        writer.WriteStartObject("query");
        writer.WriteString("selector", query.Selector.ToString());
        writer.WriteString("end", query.End.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteString("window", query.Window.ToString("c", CultureInfo.InvariantCulture));
        writer.WriteBoolean("includeLatency", query.IncludeLatency);
        writer.WriteEndObject();
        writer.WriteString("end", snapshot.End.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteString("window", snapshot.Window.ToString("c", CultureInfo.InvariantCulture));
        writer.WriteStartArray("warnings");
        foreach (var warning in snapshot.Warnings)
        {
            writer.WriteStringValue(warning);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("gaps");
        foreach (var gap in snapshot.Gaps)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", gap.Kind.ToString());
            writer.WriteString("description", gap.Description);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("endpoints");
        foreach (var traffic in snapshot.Endpoints.Values.OrderBy(e => e.Endpoint, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            writer.WriteString("endpoint", traffic.Endpoint);
            writer.WriteString("successRule", traffic.SuccessRule.ToString());
            writer.WriteStartObject("counts");
            foreach (var (statusClass, key) in ClassKeys)
            {
                if (traffic[statusClass] is var count && count != 0)
                {
                    writer.WritePropertyName(key);
                    WriteNumber(writer, count);
                }
            }

            writer.WriteEndObject();
            if (traffic.Latency is { } latency)
            {
                writer.WriteStartObject("latency");
                writer.WriteStartArray("buckets");
                foreach (var (bound, count) in latency.Buckets)
                {
                    writer.WriteStartObject();
                    writer.WriteString("le", FormatBound(bound));
                    writer.WritePropertyName("count");
                    WriteNumber(writer, count);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WritePropertyName("sum");
                WriteNumber(writer, latency.Sum);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf");
        }
    }

    private static string FormatBound(double bound) =>
        double.IsPositiveInfinity(bound) ? "+Inf" : double.IsNegativeInfinity(bound) ? "-Inf" : bound.ToString("R", CultureInfo.InvariantCulture);

    private static RecordedTrafficSnapshot ReadSnapshot(JsonElement item, string where)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: expected an object.");
        }

        var queryElement = Property(item, "query", JsonValueKind.Object, where);
        var selectorText = Property(queryElement, "selector", JsonValueKind.String, where + ".query").GetString()!;
        LabelSelector selector;
        try
        {
            selector = LabelSelector.Parse(selectorText);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{where}.query.selector: {ex.Message}", ex);
        }

        var end = ReadTime(queryElement, "end", where + ".query");
        var window = ReadWindow(queryElement, "window", where + ".query");
        var includeLatency = queryElement.TryGetProperty("includeLatency", out var latencyFlag) && latencyFlag.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new FormatException($"{where}.query.includeLatency: expected true or false, not {latencyFlag.GetRawText()}."),
        };

        // Compared by subtraction: window.Ticks + a day overflows for windows near TimeSpan.MaxValue.
        if (window.Ticks > end.UtcTicks - DateTimeOffset.MinValue.UtcTicks - TimeSpan.TicksPerDay)
        {
            throw new FormatException($"{where}.query: the window {window} reaches before the first representable time.");
        }

        TrafficQuery query;
        try
        {
            query = new TrafficQuery(selector, end, window) { IncludeLatency = includeLatency };
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"{where}.query: {ex.Message}", ex);
        }

        var snapshotEnd = item.TryGetProperty("end", out _) ? ReadTime(item, "end", where) : end;
        var snapshotWindow = item.TryGetProperty("window", out _) ? ReadWindow(item, "window", where) : window;
        var warnings = new List<string>();
        if (item.TryGetProperty("warnings", out var warningsElement))
        {
            if (warningsElement.ValueKind != JsonValueKind.Array || warningsElement.EnumerateArray().Any(w => w.ValueKind != JsonValueKind.String))
            {
                throw new FormatException($"{where}.warnings: expected an array of strings.");
            }

            warnings.AddRange(warningsElement.EnumerateArray().Select(w => w.GetString()!));
        }

        // Optional for files written before gaps were recorded; strict when present, since a lost gap makes a snapshot look complete.
        var gaps = new List<DataGap>();
        if (item.TryGetProperty("gaps", out var gapsElement))
        {
            if (gapsElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{where}.gaps: expected an array, not {gapsElement.GetRawText()}.");
            }

            var gapIndex = 0;
            foreach (var gapElement in gapsElement.EnumerateArray())
            {
                gaps.Add(ReadGap(gapElement, $"{where}.gaps[{gapIndex++}]"));
            }
        }

        var endpoints = new List<EndpointTraffic>();
        var index = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in Property(item, "endpoints", JsonValueKind.Array, where).EnumerateArray())
        {
            var at = $"{where}.endpoints[{index++}]";
            var traffic = ReadEndpoint(endpoint, at);
            if (!names.Add(traffic.Endpoint))
            {
                throw new FormatException($"{at}: endpoint '{traffic.Endpoint}' appears twice.");
            }

            endpoints.Add(traffic);
        }

        return new RecordedTrafficSnapshot(query, new TrafficSnapshot(snapshotEnd, snapshotWindow, endpoints, warnings.AsReadOnly()) { Gaps = gaps.AsReadOnly() });
    }

    private static DataGap ReadGap(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: expected an object.");
        }

        var kindText = Property(element, "kind", JsonValueKind.String, where).GetString()!;

        // Names only, matched exactly: Enum.TryParse would also take "0" or "partialresponse".
        var names = Enum.GetNames<DataGapKind>();
        if (!names.Contains(kindText, StringComparer.Ordinal))
        {
            throw new FormatException($"{where}.kind: expected one of {string.Join(", ", names)}, not \"{kindText}\".");
        }

        var description = Property(element, "description", JsonValueKind.String, where).GetString()!;
        return new DataGap(Enum.Parse<DataGapKind>(kindText), description);
    }

    private static EndpointTraffic ReadEndpoint(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: expected an object.");
        }

        var name = Property(element, "endpoint", JsonValueKind.String, where).GetString()!;
        var rule = SuccessRule.Status2xx;
        if (element.TryGetProperty("successRule", out var ruleElement) &&
            (ruleElement.ValueKind != JsonValueKind.String || !Enum.TryParse(ruleElement.GetString(), ignoreCase: false, out rule) || !Enum.IsDefined(rule)))
        {
            throw new FormatException($"{where} ('{name}'): successRule must be one of {string.Join(", ", Enum.GetNames<SuccessRule>())}, not {ruleElement.GetRawText()}.");
        }

        var counts = new Dictionary<StatusClass, double>();
        foreach (var property in Property(element, "counts", JsonValueKind.Object, where).EnumerateObject())
        {
            var key = Array.FindIndex(ClassKeys, k => k.Key == property.Name);
            if (key < 0)
            {
                throw new FormatException($"{where} ('{name}'): unknown status class \"{property.Name}\" in counts (expected {string.Join(", ", ClassKeys.Select(k => k.Key))}).");
            }

            var count = ReadNumber(property.Value, $"{where} ('{name}').counts.{property.Name}");
            if (count < 0)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{where} ('{name}').counts.{property.Name}: a count must not be negative, not {count}."));
            }

            counts[ClassKeys[key].Class] = count;
        }

        LatencyHistogram? latency = null;
        if (element.TryGetProperty("latency", out var latencyElement) && latencyElement.ValueKind != JsonValueKind.Null)
        {
            var at = $"{where} ('{name}').latency";
            if (latencyElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{at}: expected an object.");
            }

            var buckets = new List<(double, double)>();
            var i = 0;
            foreach (var bucket in Property(latencyElement, "buckets", JsonValueKind.Array, at).EnumerateArray())
            {
                var bucketAt = $"{at}.buckets[{i++}]";
                if (bucket.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"{bucketAt}: expected an object.");
                }

                var le = Property(bucket, "le", JsonValueKind.String, bucketAt).GetString()!;
                var bound = PrometheusNumber.TryParse(le, out var parsed) && !double.IsNaN(parsed)
                    ? parsed
                    : throw new FormatException($"{bucketAt}: \"le\" must be a number or \"+Inf\", not \"{le}\".");
                if (!bucket.TryGetProperty("count", out var countElement))
                {
                    throw new FormatException($"{bucketAt}: expected a \"count\".");
                }

                buckets.Add((bound, ReadNumber(countElement, bucketAt + ".count")));
            }

            var sum = latencyElement.TryGetProperty("sum", out var sumElement) ? ReadNumber(sumElement, at + ".sum") : double.NaN;
            try
            {
                latency = new LatencyHistogram(buckets, sum);
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"{at}: {ex.Message}", ex);
            }
        }

        return new EndpointTraffic(name, counts, rule, latency);
    }

    private static JsonElement Property(JsonElement element, string name, JsonValueKind kind, string where)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != kind)
        {
            var article = kind == JsonValueKind.Array ? "an array" : kind == JsonValueKind.Object ? "an object" : "a string";
            throw new FormatException($"{where}: expected \"{name}\" to be {article}.");
        }

        return value;
    }

    private static double ReadNumber(JsonElement element, string where) => element.ValueKind switch
    {
        JsonValueKind.Number => element.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw new FormatException($"{where}: {element.GetRawText()} is not a number a double can hold."),
        // Only the values JSON cannot hold are strings; a finite number written as a string is refused.
        JsonValueKind.String => PrometheusNumber.TryParse(element.GetString(), out var special) && !double.IsFinite(special)
            ? special
            : throw new FormatException($"{where}: expected a number, \"NaN\", \"+Inf\" or \"-Inf\", not \"{element.GetString()}\"."),
        _ => throw new FormatException($"{where}: expected a number, not {element.GetRawText()}."),
    };

    private static DateTimeOffset ReadTime(JsonElement element, string name, string where)
    {
        var text = Property(element, name, JsonValueKind.String, where).GetString();
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new FormatException($"{where}.{name}: expected an RFC 3339 timestamp, not \"{text}\".");
    }

    private static TimeSpan ReadWindow(JsonElement element, string name, string where)
    {
        var text = Property(element, name, JsonValueKind.String, where).GetString();
        return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var window) && window > TimeSpan.Zero
            ? window
            : throw new FormatException($"{where}.{name}: expected a positive duration such as \"00:13:00\", not \"{text}\".");
    }
}
