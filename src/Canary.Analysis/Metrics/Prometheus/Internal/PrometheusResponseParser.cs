using System.Text;
using System.Text.Json;
using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Metrics.Prometheus.Internal;

/// <summary>
/// Parses Prometheus HTTP API query responses in one forward pass of <see cref="Utf8JsonReader"/> over the bytes:
/// no DOM, no DTOs. Property order does not matter and unknown properties (native histograms included) are skipped.
/// </summary>
/// <remarks>
/// Strict where a lenient reading would hide broken evidence: two series with the same label set, a label given twice
/// in one series, a series with neither a float nor a native histogram sample, a string that is not valid UTF-8 (or
/// escapes a lone surrogate), and a timestamp outside <see cref="SaneTimestamps"/> all make the response invalid.
/// VictoriaMetrics cluster's top-level <c>"isPartial": true</c> (a vmselect answered without some vmstorage nodes) becomes
/// <see cref="PartialResponseWarning"/> among the warnings, as Thanos and Mimir report a partial response: the data may
/// be missing requests, so it must not be judged as complete; an <c>isPartial</c> that is not a boolean is invalid.
/// </remarks>
internal static class PrometheusResponseParser
{
    /// <summary>The warning a VictoriaMetrics cluster's <c>"isPartial": true</c> becomes.</summary>
    internal const string PartialResponseWarning =
        "the server answered a partial response (\"isPartial\": true): some storage nodes did not answer, so series or samples may be missing";

    private const int SnippetLength = 200;

    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses a response body.</summary>
    /// <param name="json">The UTF-8 body.</param>
    /// <param name="query">The query, for the result and for error messages.</param>
    /// <returns>The result.</returns>
    /// <exception cref="MetricQueryException">
    /// <see cref="MetricQueryErrorKind.Backend"/> for a <c>"status":"error"</c> body, <see cref="MetricQueryErrorKind.InvalidResponse"/> for anything else that is not a valid response.
    /// </exception>
    internal static MetricQueryResult Parse(ReadOnlySpan<byte> json, string query) => Parse(json, query, statusCode: null);

    /// <summary>Parses a response body received with an HTTP status code.</summary>
    /// <param name="json">The UTF-8 body.</param>
    /// <param name="query">The query, for the result and for error messages.</param>
    /// <param name="statusCode">The HTTP status, attached to exceptions.</param>
    /// <returns>The result.</returns>
    internal static MetricQueryResult Parse(ReadOnlySpan<byte> json, string query, int? statusCode)
    {
        ArgumentNullException.ThrowIfNull(query);
        Envelope envelope;
        try
        {
            envelope = ReadEnvelope(json);
        }
        catch (JsonException ex)
        {
            throw Invalid(json, query, statusCode, $"malformed JSON ({ex.Message})", ex);
        }
        catch (FormatException ex)
        {
            throw Invalid(json, query, statusCode, ex.Message, ex);
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader.GetString: invalid UTF-8 or an escaped lone surrogate.
            throw Invalid(json, query, statusCode, $"a string is not valid Unicode ({ex.Message})", ex);
        }

        if (envelope.Status == Status.Error)
        {
            throw new MetricQueryException(
                query,
                MetricQueryErrorKind.Backend,
                envelope.Error ?? "the server reported an error without a message",
                statusCode,
                envelope.ErrorType,
                envelope.AllWarnings);
        }

        if (envelope.Status != Status.Success)
        {
            throw Invalid(json, query, statusCode, "the body has no \"status\":\"success\"", null);
        }

        if (!envelope.HasData || envelope.ResultType is not { } resultType || !envelope.HasResult)
        {
            throw Invalid(json, query, statusCode, "the body has no data.resultType or data.result", null);
        }

        switch (resultType)
        {
            case MetricResultType.Vector:
            case MetricResultType.Matrix:
                if (envelope.Pair is not null)
                {
                    throw Invalid(json, query, statusCode, $"a {resultType} result must be an array of series", null);
                }

                var all = envelope.Series ?? [];
                if (LabelSetComparer.FindDuplicate(all) is { } duplicate)
                {
                    throw Invalid(json, query, statusCode, $"two series have the same label set {duplicate}", null);
                }

                return new MetricQueryResult(query, resultType, all, envelope.AllWarnings) { Infos = envelope.Infos ?? [] };
            case MetricResultType.Scalar:
                if (envelope.Pair is not { } scalar || !PrometheusNumber.TryParse(scalar.Value, out var value))
                {
                    throw Invalid(json, query, statusCode, "a scalar result must be [<time>, \"<number>\"]", null);
                }

                var series = new MetricSeries(new Dictionary<string, string>(0, StringComparer.Ordinal), [new MetricSample(scalar.Timestamp, value)]);
                return new MetricQueryResult(query, resultType, [series], envelope.AllWarnings) { Infos = envelope.Infos ?? [] };
            default:
                if (envelope.Pair is not { } text)
                {
                    throw Invalid(json, query, statusCode, "a string result must be [<time>, \"<string>\"]", null);
                }

                string stringValue;
                try
                {
                    stringValue = StrictUtf8.GetString(text.Value);
                }
                catch (DecoderFallbackException ex)
                {
                    throw Invalid(json, query, statusCode, "the string result is not valid UTF-8", ex);
                }

                return new MetricQueryResult(query, resultType, [], envelope.AllWarnings, stringValue) { Infos = envelope.Infos ?? [] };
        }
    }

    /// <summary>Reads just enough of an error body to classify it; null when it is not a Prometheus envelope.</summary>
    internal static (string? ErrorType, string? Error, IReadOnlyList<string>? Warnings)? TryReadError(ReadOnlySpan<byte> json)
    {
        try
        {
            var envelope = ReadEnvelope(json);
            return envelope.Status == Status.Error ? (envelope.ErrorType, envelope.Error, envelope.AllWarnings) : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The first characters of a body, on one line, for error messages.</summary>
    internal static string Snippet(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return "<empty body>";
        }

        var take = body[..Math.Min(body.Length, SnippetLength * 4)];
        var text = Encoding.UTF8.GetString(take);
        var builder = new StringBuilder(Math.Min(text.Length, SnippetLength) + 1);
        var lastWasSpace = false;
        foreach (var c in text)
        {
            if (builder.Length >= SnippetLength)
            {
                break;
            }

            var isSpace = char.IsWhiteSpace(c) || char.IsControl(c);
            if (isSpace && lastWasSpace)
            {
                continue;
            }

            builder.Append(isSpace ? ' ' : c);
            lastWasSpace = isSpace;
        }

        var snippet = builder.ToString().Trim();
        return body.Length > take.Length || text.Length > snippet.Length ? snippet + "…" : snippet;
    }

    private static MetricQueryException Invalid(ReadOnlySpan<byte> json, string query, int? statusCode, string reason, Exception? inner) =>
        new(query, MetricQueryErrorKind.InvalidResponse, $"invalid response: {reason}; body starts: {Snippet(json)}", statusCode, innerException: inner);

    private static Envelope ReadEnvelope(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        var envelope = new Envelope();
        Read(ref reader);
        Expect(ref reader, JsonTokenType.StartObject, "the body is not a JSON object");
        while (Read(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("status"u8))
            {
                Once(envelope.Status != Status.Missing, "status");
                Read(ref reader);
                Expect(ref reader, JsonTokenType.String, "\"status\" must be a string");
                envelope.Status = reader.ValueTextEquals("success"u8) ? Status.Success
                    : reader.ValueTextEquals("error"u8) ? Status.Error
                    : Status.Unknown;
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                Once(envelope.HasData, "data");
                Read(ref reader);
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    envelope.HasData = true;
                    ReadData(ref reader, ref envelope);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("errorType"u8))
            {
                envelope.ErrorType = ReadOptionalString(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                envelope.Error = ReadOptionalString(ref reader);
            }
            else if (reader.ValueTextEquals("warnings"u8))
            {
                ReadStrings(ref reader, ref envelope.Warnings);
            }
            else if (reader.ValueTextEquals("infos"u8))
            {
                ReadStrings(ref reader, ref envelope.Infos);
            }
            else if (reader.ValueTextEquals("isPartial"u8))
            {
                Once(envelope.IsPartial is not null, "isPartial");
                envelope.IsPartial = Read(ref reader) switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => throw new FormatException("\"isPartial\" must be true or false"),
                };
            }
            else
            {
                Read(ref reader);
                reader.Skip();
            }
        }

        Expect(ref reader, JsonTokenType.EndObject, "unexpected token in the top-level object");
        if (reader.Read())
        {
            throw new FormatException("unexpected content after the JSON object");
        }

        return envelope;
    }

    private static void ReadData(ref Utf8JsonReader reader, ref Envelope envelope)
    {
        while (Read(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("resultType"u8))
            {
                Once(envelope.ResultType is not null, "resultType");
                Read(ref reader);
                Expect(ref reader, JsonTokenType.String, "\"resultType\" must be a string");
                envelope.ResultType = reader.ValueTextEquals("vector"u8) ? MetricResultType.Vector
                    : reader.ValueTextEquals("matrix"u8) ? MetricResultType.Matrix
                    : reader.ValueTextEquals("scalar"u8) ? MetricResultType.Scalar
                    : reader.ValueTextEquals("string"u8) ? MetricResultType.String
                    : throw new FormatException($"unknown resultType '{reader.GetString()}'");
            }
            else if (reader.ValueTextEquals("result"u8))
            {
                Once(envelope.HasResult, "result");
                Read(ref reader);
                Expect(ref reader, JsonTokenType.StartArray, "\"result\" must be an array");
                envelope.HasResult = true;
                ReadResult(ref reader, ref envelope);
            }
            else
            {
                Read(ref reader);
                reader.Skip();
            }
        }

        Expect(ref reader, JsonTokenType.EndObject, "unexpected token in \"data\"");
    }

    // At StartArray of "result". Either [ts, "v"] (scalar, string) or [ {series}, … ] (vector, matrix).
    private static void ReadResult(ref Utf8JsonReader reader, ref Envelope envelope)
    {
        var token = Read(ref reader);
        if (token == JsonTokenType.EndArray)
        {
            envelope.Series = [];
            return;
        }

        if (token != JsonTokenType.StartObject)
        {
            envelope.Pair = ReadPairBody(ref reader);
            return;
        }

        var series = new List<MetricSeries>();
        var names = new NameCache();
        var labelCapacity = 0;
        var sampleCapacity = 1;
        do
        {
            Expect(ref reader, JsonTokenType.StartObject, "each series must be an object");
            var one = ReadSeries(ref reader, ref names, labelCapacity, sampleCapacity);
            labelCapacity = one.Labels.Count;
            sampleCapacity = Math.Max(1, one.Samples.Count);
            series.Add(one);
        }
        while (Read(ref reader) != JsonTokenType.EndArray);

        envelope.Series = series;
    }

    private static MetricSeries ReadSeries(ref Utf8JsonReader reader, ref NameCache names, int labelCapacity, int sampleCapacity)
    {
        Dictionary<string, string>? labels = null;
        List<MetricSample>? samples = null;
        var hasHistogram = false;
        while (Read(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("metric"u8))
            {
                Once(labels is not null, "metric");
                Read(ref reader);
                Expect(ref reader, JsonTokenType.StartObject, "\"metric\" must be an object");
                labels = new Dictionary<string, string>(labelCapacity, StringComparer.Ordinal);
                while (Read(ref reader) == JsonTokenType.PropertyName)
                {
                    var name = names.Get(ref reader);
                    Read(ref reader);
                    Expect(ref reader, JsonTokenType.String, "label values must be strings");
                    if (!labels.TryAdd(name, reader.GetString()!))
                    {
                        throw new FormatException($"label '{name}' appears twice in one series");
                    }
                }
            }
            else if (reader.ValueTextEquals("value"u8))
            {
                Once(samples is not null, "value");
                samples = new List<MetricSample>(1);
                Read(ref reader);
                Expect(ref reader, JsonTokenType.StartArray, "\"value\" must be [<time>, \"<number>\"]");
                Read(ref reader);
                samples.Add(ReadSample(ref reader));
            }
            else if (reader.ValueTextEquals("values"u8))
            {
                Once(samples is not null, "values");
                samples = new List<MetricSample>(sampleCapacity);
                Read(ref reader);
                Expect(ref reader, JsonTokenType.StartArray, "\"values\" must be an array");
                while (Read(ref reader) == JsonTokenType.StartArray)
                {
                    Read(ref reader);
                    samples.Add(ReadSample(ref reader));
                }

                Expect(ref reader, JsonTokenType.EndArray, "each of \"values\" must be [<time>, \"<number>\"]");
            }
            else if (reader.ValueTextEquals("histogram"u8) || reader.ValueTextEquals("histograms"u8))
            {
                // Native histograms are not read: the series is kept without float samples, for the caller to judge.
                hasHistogram = true;
                Read(ref reader);
                reader.Skip();
            }
            else
            {
                Read(ref reader);
                reader.Skip();
            }
        }

        if (samples is null && !hasHistogram)
        {
            throw new FormatException("a series has no \"value\", \"values\" or native histogram");
        }

        return new MetricSeries(labels ?? new Dictionary<string, string>(0, StringComparer.Ordinal), (IReadOnlyList<MetricSample>?)samples ?? []);
    }

    // On the first element of a [ts, "v"] pair; leaves the reader on its EndArray.
    private static MetricSample ReadSample(ref Utf8JsonReader reader)
    {
        var timestamp = ReadTimestamp(ref reader);
        Read(ref reader);
        Expect(ref reader, JsonTokenType.String, "sample values must be strings");
        double value;
        if (reader.ValueIsEscaped)
        {
            var text = Encoding.UTF8.GetBytes(reader.GetString()!);
            if (!PrometheusNumber.TryParse(text, out value))
            {
                throw new FormatException($"'{reader.GetString()}' is not a sample value");
            }
        }
        else if (!PrometheusNumber.TryParse(reader.ValueSpan, out value))
        {
            throw new FormatException($"'{Encoding.UTF8.GetString(reader.ValueSpan)}' is not a sample value");
        }

        Read(ref reader);
        Expect(ref reader, JsonTokenType.EndArray, "a sample must be [<time>, \"<number>\"]");
        return new MetricSample(timestamp, value);
    }

    private static Pair ReadPairBody(ref Utf8JsonReader reader)
    {
        var timestamp = ReadTimestamp(ref reader);
        Read(ref reader);
        Expect(ref reader, JsonTokenType.String, "the value of a scalar or string result must be a string");
        var value = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan.ToArray();
        Read(ref reader);
        Expect(ref reader, JsonTokenType.EndArray, "a scalar or string result must be [<time>, \"<value>\"]");
        return new Pair(timestamp, value);
    }

    private static DateTimeOffset ReadTimestamp(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number, "timestamps must be numbers of seconds");
        if (TryParseSeconds(reader.ValueSpan, out var milliseconds))
        {
            return new DateTimeOffset(Epoch.Ticks + (milliseconds * TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        }

        if (!reader.TryGetDouble(out var seconds) || !SaneTimestamps.ContainsMilliseconds(Math.Round(seconds * 1000d)))
        {
            throw new FormatException($"timestamp {Encoding.UTF8.GetString(reader.ValueSpan)} is not {SaneTimestamps.Description}");
        }

        return Epoch.AddTicks((long)Math.Round(seconds * 1000d) * TimeSpan.TicksPerMillisecond);
    }

    // Fast exact path for "1435781451" / "1435781451.781" (at most 3 decimals, no exponent, no sign).
    private static bool TryParseSeconds(ReadOnlySpan<byte> span, out long milliseconds)
    {
        milliseconds = 0;
        if (span.Length is 0 or > 16)
        {
            return false;
        }

        long whole = 0;
        var i = 0;
        for (; i < span.Length; i++)
        {
            var digit = span[i] - (byte)'0';
            if ((uint)digit > 9)
            {
                break;
            }

            whole = (whole * 10) + digit;
            if (whole >= SaneTimestamps.EndUnixSeconds)
            {
                return false; // out of range: the slow path reports it
            }
        }

        long fraction = 0;
        var decimals = 0;
        if (i < span.Length)
        {
            if (span[i] != (byte)'.')
            {
                return false;
            }

            for (i++; i < span.Length; i++)
            {
                var digit = span[i] - (byte)'0';
                if ((uint)digit > 9 || decimals == 3)
                {
                    return false;
                }

                fraction = (fraction * 10) + digit;
                decimals++;
            }
        }

        for (; decimals < 3; decimals++)
        {
            fraction *= 10;
        }

        milliseconds = (whole * 1000) + fraction;
        return milliseconds < SaneTimestamps.EndUnixMilliseconds;
    }

    private static string? ReadOptionalString(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static void ReadStrings(ref Utf8JsonReader reader, ref List<string>? target)
    {
        Read(ref reader);
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                (target ??= []).Add(reader.GetString()!);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    // A key given twice would otherwise be decided by order ("last wins"), hiding one of the two values.
    private static void Once(bool seen, string key)
    {
        if (seen)
        {
            throw new FormatException($"\"{key}\" appears twice (or with \"value\"/\"values\" both)");
        }
    }

    private static JsonTokenType Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new FormatException("the body ends too early (truncated JSON)");
        }

        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string message)
    {
        if (reader.TokenType != expected)
        {
            throw new FormatException(message);
        }
    }

    private enum Status
    {
        Missing,
        Success,
        Error,
        Unknown,
    }

    private struct Envelope
    {
        public Status Status;
        public bool HasData;
        public bool HasResult;
        public MetricResultType? ResultType;
        public List<MetricSeries>? Series;
        public Pair? Pair;
        public string? ErrorType;
        public string? Error;
        public List<string>? Warnings;
        public List<string>? Infos;
        public bool? IsPartial;

        /// <summary>
        /// Gets the warnings, <see cref="PartialResponseWarning"/> when the body says <c>"isPartial": true</c>, then the infos
        /// (what <see cref="MetricQueryResult.Warnings"/> holds).
        /// </summary>
        public readonly List<string>? AllWarnings => IsPartial == true
            ? [.. Warnings ?? [], PartialResponseWarning, .. Infos ?? []]
            : Infos is null ? Warnings : Warnings is null ? Infos : [.. Warnings, .. Infos];
    }

    private sealed record Pair(DateTimeOffset Timestamp, byte[] Value);

    /// <summary>Shares the string instances of label names across the series of one response.</summary>
    private struct NameCache
    {
        private const int Capacity = 32;
        private byte[][]? bytes;
        private string[]? strings;
        private int count;

        public string Get(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped)
            {
                return reader.GetString()!;
            }

            var span = reader.ValueSpan;
            for (var i = 0; i < count; i++)
            {
                if (span.SequenceEqual(bytes![i]))
                {
                    return strings![i];
                }
            }

            string name;
            try
            {
                name = StrictUtf8.GetString(span);
            }
            catch (DecoderFallbackException ex)
            {
                throw new FormatException("a label name is not valid UTF-8", ex);
            }

            if (count < Capacity)
            {
                bytes ??= new byte[Capacity][];
                strings ??= new string[Capacity];
                bytes[count] = span.ToArray();
                strings[count] = name;
                count++;
            }

            return name;
        }
    }
}
