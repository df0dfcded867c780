using System.Globalization;
using System.Text.Json;

namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>One element of an instant-query result (a scalar result has no labels).</summary>
public sealed record RawSample(IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string this[string label] => Labels.TryGetValue(label, out var value) ? value : string.Empty;
}

/// <summary>
/// A deliberately plain client of Prometheus' <c>/api/v1/query</c> (HttpClient + System.Text.Json), independent
/// of the library's provider, so tests can use Prometheus itself as the oracle.
/// </summary>
public sealed class RawPrometheusClient : IDisposable
{
    private readonly HttpClient _http;

    public RawPrometheusClient(Uri address)
    {
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Number of HTTP queries sent so far.</summary>
    public int QueryCount { get; private set; }

    /// <summary>Evaluates <paramref name="promql"/> at <paramref name="time"/>; vector or scalar results.</summary>
    public async Task<IReadOnlyList<RawSample>> QueryAsync(string promql, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(promql);
        var seconds = (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
        var uri = new Uri($"api/v1/query?query={Uri.EscapeDataString(promql)}&time={seconds}", UriKind.Relative);
        QueryCount++;
        using var response = await _http.GetAsync(uri, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus rejected '{promql}': {body}");
        }

        var data = root.GetProperty("data");
        var result = data.GetProperty("result");
        return data.GetProperty("resultType").GetString() switch
        {
            "vector" => result.EnumerateArray().Select(e => new RawSample(
                e.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty),
                ParseValue(e.GetProperty("value")))).ToArray(),
            "scalar" => [new RawSample(new Dictionary<string, string>(), ParseValue(result))],
            var other => throw new InvalidOperationException($"'{promql}' returned a {other}; use an instant vector or scalar."),
        };
    }

    /// <summary>The single value of a query that must return exactly one element.</summary>
    public async Task<double> QuerySingleAsync(string promql, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        var result = await QueryAsync(promql, time, cancellationToken);
        return result.Count == 1
            ? result[0].Value
            : throw new InvalidOperationException($"'{promql}' returned {result.Count} elements, expected exactly 1.");
    }

    public void Dispose() => _http.Dispose();

    private static double ParseValue(JsonElement pair) =>
        pair[1].GetString() switch
        {
            "NaN" => double.NaN,
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            var text => double.Parse(text!, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
}
