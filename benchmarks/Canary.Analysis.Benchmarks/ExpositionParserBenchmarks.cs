using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Canary.Analysis.Metrics.Scrape.Exposition;

namespace Canary.Analysis.Benchmarks;

/// <summary>
/// Parsing a ~5 MB prometheus-net scrape (text format 0.0.4) with the library's exposition parser vs a bare line split
/// of the same text (counting lines with a vectorised <see cref="MemoryExtensions.IndexOf{T}(ReadOnlySpan{T}, T)"/>),
/// the floor any line-based parser pays.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ExpositionParserBenchmarks
{
    private string _text = string.Empty;
    private byte[] _utf8 = [];

    /// <summary>Endpoints in the scrape (each with <see cref="Codes"/> status codes and a 16-bucket histogram).</summary>
    [Params(240)]
    public int Endpoints { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _text = BuildPrometheusNetScrape(Endpoints);
        _utf8 = Encoding.UTF8.GetBytes(_text);
        var samples = ExpositionParser.Parse(_text, ExpositionDialect.PrometheusText).Samples.Count();
        Console.WriteLine($"// scrape: {_utf8.Length:N0} bytes, {CountLines(_text):N0} lines, {samples:N0} samples");
    }

    [Benchmark(Baseline = true, Description = "bare line split (span IndexOf('\\n'))")]
    public int BareLineSplit() => CountLines(_text);

    [Benchmark(Description = "ExpositionParser.Parse(string)")]
    public int ParseText() => ExpositionParser.Parse(_text, ExpositionDialect.PrometheusText).Families.Count;

    [Benchmark(Description = "ExpositionParser.Parse(UTF-8 bytes)")]
    public int ParseUtf8() => ExpositionParser.Parse(_utf8, ExpositionDialect.PrometheusText).Families.Count;

    internal static int CountLines(string text)
    {
        var span = text.AsSpan();
        var lines = 0;
        while (true)
        {
            var newline = span.IndexOf('\n');
            if (newline < 0)
            {
                return span.IsEmpty ? lines : lines + 1;
            }

            lines++;
            span = span[(newline + 1)..];
        }
    }

    /// <summary>Codes per endpoint, as prometheus-net.AspNetCore writes them (full codes).</summary>
    internal static readonly string[] Codes = ["200", "201", "204", "400", "404", "500", "503"];

    /// <summary>
    /// A deterministic prometheus-net.AspNetCore scrape: <c>http_request_duration_seconds</c> (16 exponential buckets,
    /// labels code, method, controller, action, endpoint), <c>http_requests_received_total</c> and
    /// <c>http_requests_in_progress</c>, for <paramref name="endpoints"/> endpoints × 7 codes; 240 endpoints ≈ 5 MB.
    /// </summary>
    internal static string BuildPrometheusNetScrape(int endpoints)
    {
        var random = new Random(42);
        var bounds = Enumerable.Range(0, 16).Select(i => (0.001 * Math.Pow(2, i)).ToString("R", CultureInfo.InvariantCulture)).Append("+Inf").ToArray();
        var text = new StringBuilder(endpoints * Codes.Length * 2600);
        text.Append("# HELP http_request_duration_seconds The duration of HTTP requests processed by an ASP.NET Core application.\n");
        text.Append("# TYPE http_request_duration_seconds histogram\n");
        for (var e = 0; e < endpoints; e++)
        {
            foreach (var code in Codes)
            {
                var labels = Labels(e, code);
                double cumulative = 0, sum = 0;
                foreach (var le in bounds)
                {
                    var inBucket = random.Next(0, 5000);
                    cumulative += inBucket;
                    sum += inBucket * random.NextDouble() * 0.05;
                    text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {cumulative}\n");
                }

                text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_sum{{{labels}}} {sum:R}\n");
                text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_count{{{labels}}} {cumulative}\n");
            }
        }

        text.Append("# HELP http_requests_received_total Provides the count of HTTP requests that have been processed by the ASP.NET Core pipeline.\n");
        text.Append("# TYPE http_requests_received_total counter\n");
        for (var e = 0; e < endpoints; e++)
        {
            foreach (var code in Codes)
            {
                text.Append(CultureInfo.InvariantCulture, $"http_requests_received_total{{{Labels(e, code)}}} {random.Next(0, 100_000)}\n");
            }
        }

        text.Append("# HELP http_requests_in_progress The number of requests currently in progress in the ASP.NET Core pipeline.\n");
        text.Append("# TYPE http_requests_in_progress gauge\n");
        for (var e = 0; e < endpoints; e++)
        {
            text.Append(CultureInfo.InvariantCulture, $"http_requests_in_progress{{method=\"GET\",controller=\"Api\",action=\"Action{e:D3}\",endpoint=\"api/v1/resource-{e:D3}/{{id}}\"}} {random.Next(0, 4)}\n");
        }

        return text.ToString();

        static string Labels(int endpoint, string code) =>
            string.Create(CultureInfo.InvariantCulture, $"code=\"{code}\",method=\"{(endpoint % 3 == 0 ? "POST" : "GET")}\",controller=\"Api\",action=\"Action{endpoint:D3}\",endpoint=\"api/v1/resource-{endpoint:D3}/{{id}}\"");
    }
}
