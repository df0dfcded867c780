using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Canary.Analysis.Metrics.Prometheus.Internal;

namespace Canary.Analysis.Benchmarks;

/// <summary>
/// Parsing a large <c>query_range</c> response into series vs a bare <see cref="Utf8JsonReader"/> pass over the
/// same bytes (the floor any JSON parser pays). Target: within 3× of the bare pass.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class PrometheusResponseParsingBenchmarks
{
    private byte[] _body = [];

    /// <summary>Series in the response (endpoint × status code).</summary>
    [Params(400)]
    public int Series { get; set; }

    /// <summary>Samples per series (a 1-hour range at a 15 s step is 240).</summary>
    [Params(240)]
    public int Points { get; set; }

    [GlobalSetup]
    public void Setup() => _body = BuildMatrixResponse(Series, Points);

    [Benchmark(Baseline = true, Description = "bare Utf8JsonReader pass")]
    public int BareReaderPass()
    {
        var reader = new Utf8JsonReader(_body);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark(Description = "PrometheusResponseParser.Parse")]
    public int Parse() => PrometheusResponseParser.Parse(_body, "q").Series.Count;

    internal static byte[] BuildMatrixResponse(int series, int points)
    {
        var random = new Random(42);
        var builder = new StringBuilder(series * points * 32);
        builder.Append("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
        for (var s = 0; s < series; s++)
        {
            if (s > 0)
            {
                builder.Append(',');
            }

            builder.Append(CultureInfo.InvariantCulture, $"{{\"metric\":{{\"endpoint\":\"/api/endpoint-{s / 2:D3}\",\"code\":\"{(s % 2 == 0 ? "200" : "500")}\",\"version\":\"canary\"}},\"values\":[");
            for (var p = 0; p < points; p++)
            {
                if (p > 0)
                {
                    builder.Append(',');
                }

                var value = random.NextDouble() * 1000;
                builder.Append(CultureInfo.InvariantCulture, $"[{1767225600 + (p * 15)}.{p % 1000:D3},\"{value:R}\"]");
            }

            builder.Append("]}");
        }

        builder.Append("]}}");
        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
