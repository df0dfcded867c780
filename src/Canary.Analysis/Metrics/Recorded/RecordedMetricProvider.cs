using System.Globalization;
using System.Text;
using System.Text.Json;
using Canary.Analysis.Metrics.Internal;
using Canary.Analysis.Metrics.Prometheus.Internal;

namespace Canary.Analysis.Metrics.Recorded;

/// <summary>
/// Answers instant queries from recorded Prometheus HTTP API responses, parsed by the same code as live ones:
/// for tests, demos and replaying production behaviour without a server.
/// </summary>
/// <remarks>
/// The file format is <c>{"format":"canary-analysis/recorded-prometheus/v1","recordings":[{"query":…,"time":…,"response":{…}}]}</c>,
/// where <c>response</c> is Prometheus' body and <c>time</c> (RFC 3339, optional) the evaluation time. A query
/// without a recording fails with <see cref="MetricQueryException"/> rather than returning an empty result, so a
/// typo can never look like an idle canary.
/// </remarks>
public sealed class RecordedMetricProvider : IMetricProvider
{
    /// <summary>The format name written in recording files.</summary>
    public const string FormatName = "canary-analysis/recorded-prometheus/v1";

    private readonly Dictionary<string, List<(DateTimeOffset? Time, byte[] Body)>> _recordings = new(StringComparer.Ordinal);

    /// <summary>Creates a provider over recordings.</summary>
    /// <param name="recordings">The recordings; a query may be recorded at several times.</param>
    /// <exception cref="ArgumentNullException"><paramref name="recordings"/> or an item is null.</exception>
    public RecordedMetricProvider(IEnumerable<RecordedQuery> recordings)
    {
        Recordings = RecordingFile.Index(recordings, nameof(recordings), _recordings, r => r.Query, r => (r.Time, Encoding.UTF8.GetBytes(r.ResponseJson)));
    }

    /// <summary>Gets the recordings.</summary>
    public IReadOnlyList<RecordedQuery> Recordings { get; }

    /// <summary>Loads a recording file.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="FormatException">The file is not a recording file; the message names the file and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static RecordedMetricProvider Load(string path) => RecordingFile.Load(path, Load);

    /// <summary>Reads recordings from a stream.</summary>
    /// <param name="stream">The UTF-8 JSON stream.</param>
    /// <param name="sourceName">A name for error messages (a path or a resource name).</param>
    /// <returns>The provider.</returns>
    /// <exception cref="FormatException">The content is not a recording file.</exception>
    public static RecordedMetricProvider Load(Stream stream, string sourceName = "recording")
    {
        return new RecordedMetricProvider(RecordingFile.ReadItems(stream, sourceName, FormatName, "recordings", ReadRecording));
    }

    /// <inheritdoc />
    public Task<MetricQueryResult> QueryAsync(string query, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(query);
        cancellationToken.ThrowIfCancellationRequested();
        if (_recordings.TryGetValue(query, out var list))
        {
            foreach (var (recordedTime, body) in list)
            {
                if (recordedTime is null || recordedTime == time)
                {
                    return Task.FromResult(PrometheusResponseParser.Parse(body, query));
                }
            }
        }

        var known = list is null ? "no recording of this query" : $"recorded only at {string.Join(", ", list.Select(r => r.Time?.ToString("O", CultureInfo.InvariantCulture)))}";
        throw new MetricQueryException(query, MetricQueryErrorKind.Backend, $"{known}; asked at {time.ToString("O", CultureInfo.InvariantCulture)}");
    }

    /// <inheritdoc />
    /// <remarks>Range queries are not recorded yet: this always throws.</remarks>
    public Task<MetricQueryResult> QueryRangeAsync(string query, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken = default) =>
        throw new MetricQueryException(query, MetricQueryErrorKind.Backend, "recorded providers answer instant queries only");

    private static RecordedQuery ReadRecording(JsonElement item, string where)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: expected an object.");
        }

        if (!item.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(query.GetString()))
        {
            throw new FormatException($"{where}: expected a non-empty \"query\" string.");
        }

        DateTimeOffset? time = null;
        if (item.TryGetProperty("time", out var timeElement) && timeElement.ValueKind != JsonValueKind.Null)
        {
            if (timeElement.ValueKind != JsonValueKind.String ||
                !DateTimeOffset.TryParse(timeElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                throw new FormatException($"{where}: \"time\" must be an RFC 3339 timestamp, not {timeElement.GetRawText()}.");
            }

            time = parsed;
        }

        if (!item.TryGetProperty("response", out var response) || response.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: expected a \"response\" object (the Prometheus body).");
        }

        var recorded = new RecordedQuery(query.GetString()!, time, response.GetRawText());
        try
        {
            // Checked now, so a broken recording fails when it is loaded rather than mid-analysis.
            _ = PrometheusResponseParser.Parse(Encoding.UTF8.GetBytes(recorded.ResponseJson), recorded.Query);
        }
        catch (MetricQueryException ex) when (ex.Kind == MetricQueryErrorKind.InvalidResponse)
        {
            throw new FormatException($"{where}: \"response\" is not a valid Prometheus response: {ex.BackendMessage}", ex);
        }
        catch (MetricQueryException)
        {
            // A recorded error body ("status": "error") is replayed as the backend's error.
        }

        return recorded;
    }
}
