using System.Text;
using Canary.Analysis.Metrics.Scrape.Exposition;

namespace Canary.Analysis.Tests.Metrics.Scrape.Exposition;

public sealed class ExpositionParserTests
{
    private const string PrometheusNetText = """
        # HELP http_request_duration_seconds The duration of HTTP requests processed by an ASP.NET Core application.
        # TYPE http_request_duration_seconds histogram
        http_request_duration_seconds_sum{code="200",method="GET",controller="",action="",endpoint="/api/a"} 0.0123
        http_request_duration_seconds_count{code="200",method="GET",controller="",action="",endpoint="/api/a"} 40
        http_request_duration_seconds_bucket{code="200",method="GET",controller="",action="",endpoint="/api/a",le="0.001"} 12
        http_request_duration_seconds_bucket{code="200",method="GET",controller="",action="",endpoint="/api/a",le="+Inf"} 40
        # HELP http_requests_received_total Provides the count of HTTP requests.
        # TYPE http_requests_received_total counter
        http_requests_received_total{code="200",method="GET",controller="",action="",endpoint="/api/a"} 40

        """;

    [Fact]
    public void Parse_PrometheusText_FamiliesTypesAndSamples()
    {
        var document = ExpositionParser.Parse(PrometheusNetText, ExpositionDialect.PrometheusText);

        Assert.Equal(2, document.Families.Count);
        var histogram = document.Families[0];
        Assert.Equal("http_request_duration_seconds", histogram.Name);
        Assert.Equal(ExpositionMetricType.Histogram, histogram.Type);
        Assert.Equal("The duration of HTTP requests processed by an ASP.NET Core application.", histogram.Help);
        Assert.Equal(4, histogram.Samples.Count);
        var inf = histogram.Samples[3];
        Assert.Equal("http_request_duration_seconds_bucket", inf.Name);
        Assert.Equal("+Inf", inf.Labels.Single(l => l.Key == "le").Value);
        Assert.Equal("/api/a", inf.Labels.Single(l => l.Key == "endpoint").Value);
        Assert.Equal(40, inf.Value);
        Assert.Equal(ExpositionMetricType.Counter, document.Families[1].Type);
        Assert.Equal(40, document.Families[1].Samples.Single().Value);
    }

    [Fact]
    public void Parse_OpenMetrics_SkipsCreatedAndExemplars_CounterTotalBelongsToFamily()
    {
        const string text = """
            # TYPE requests counter
            # HELP requests Requests with a \"quote\" and a \\ backslash\nnewline.
            # UNIT requests requests
            requests_total{path="/a"} 7 1700000000.25 # {trace_id="abc"} 1 1700000000.1
            requests_created{path="/a"} 1.7e9
            # TYPE latency histogram
            latency_bucket{le="0.1"} 1 # {trace_id="x"} 0.05
            latency_bucket{le="+Inf"} 2
            latency_sum 0.3
            latency_count 2
            latency_created 1.7e9
            # EOF
            """;

        var document = ExpositionParser.Parse(text, ExpositionDialect.OpenMetrics);

        var counter = document.Families[0];
        Assert.Equal(("requests", ExpositionMetricType.Counter, "requests"), (counter.Name, counter.Type, counter.Unit));
        Assert.Equal("Requests with a \"quote\" and a \\ backslash\nnewline.", counter.Help);
        var sample = Assert.Single(counter.Samples);
        Assert.Equal(("requests_total", 7.0, (double?)1700000000.25), (sample.Name, sample.Value, sample.TimestampSeconds));
        Assert.Equal(["latency_bucket", "latency_bucket", "latency_sum", "latency_count"], document.Families[1].Samples.Select(s => s.Name));
    }

    [Fact]
    public void Parse_LabelEscapesSpecialValuesTimestampsAndBlanks()
    {
        const string text = "  x { a = \"q\\\"b\\\\s\\nn\" , b=\"\" , } \t NaN\t-1500 \ny +Inf\nz -Inf 0\nw 1e3\n# just a comment\n\n";

        var samples = ExpositionParser.Parse(text, ExpositionDialect.PrometheusText).Samples.ToList();

        Assert.Equal("q\"b\\s\nn", samples[0].Labels[0].Value);
        Assert.Equal(string.Empty, samples[0].Labels[1].Value);
        Assert.True(double.IsNaN(samples[0].Value));
        Assert.Equal(-1.5, samples[0].TimestampSeconds);
        Assert.Equal(double.PositiveInfinity, samples[1].Value);
        Assert.Equal(double.NegativeInfinity, samples[2].Value);
        Assert.Equal(0, samples[2].TimestampSeconds);
        Assert.Equal(1000, samples[3].Value);
    }

    [Theory]
    [InlineData("x{a=\"b\\t\"} 1\n", 1, "invalid escape sequence")]
    [InlineData("ok 1\nx{a=\"b} 1\n", 2, "unterminated value")]
    [InlineData("x{a=\"1\",a=\"2\"} 1\n", 1, "appears twice")]
    [InlineData("x 1\nx 2\n", 2, "duplicate series")]
    [InlineData("x one\n", 1, "not a number")]
    [InlineData("x 1 1.5\n", 1, "timestamp")]
    [InlineData("x 1 2 3\n", 1, "after the timestamp")]
    [InlineData("9x 1\n", 1, "metric name")]
    [InlineData("x{9=\"a\"} 1\n", 1, "label name")]
    [InlineData("x\n", 1, "value")]
    [InlineData("# TYPE x bogus\n", 1, "unknown metric type")]
    [InlineData("# TYPE x counter\n# TYPE x gauge\n", 2, "second # TYPE")]
    [InlineData("x 1\n# TYPE x gauge\n", 2, "after its samples")]
    [InlineData("# TYPE h histogram\nh 1\n", 2, "does not fit")]
    [InlineData("# HELP x a\\qb\n", 1, "invalid escape")]
    public void Parse_PrometheusText_BadInput_ThrowsWithLine(string text, int line, string problem)
    {
        var error = Assert.Throws<ExpositionParseException>(() => ExpositionParser.Parse(text, ExpositionDialect.PrometheusText));

        Assert.Equal(line, error.LineNumber);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains($"Line {line}:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x 1\n", "# EOF")]
    [InlineData("x 1\n# EOF\nx 2\n", "after # EOF")]
    [InlineData("x 1\n\n# EOF\n", "empty lines")]
    [InlineData("x  1\n# EOF\n", "not a number")]
    [InlineData(" x 1\n# EOF\n", "metric name")]
    [InlineData("x{a=\"1\",} 1\n# EOF\n", "label name")]
    [InlineData("# random comment\n# EOF\n", "other comments")]
    [InlineData("x 1 # {a=\"b\"}\n# EOF\n", "exemplar's labels")]
    [InlineData("x 1 # a\n# EOF\n", "label set")]
    [InlineData("# TYPE c counter\nc 1\n# EOF\n", "does not fit")]
    [InlineData("a 1\nb 1\na{x=\"y\"} 1\n# EOF\n", "interleaved")]
    [InlineData("", "# EOF")]
    public void Parse_OpenMetrics_BadInput_Throws(string text, string problem)
    {
        var error = Assert.Throws<ExpositionParseException>(() => ExpositionParser.Parse(text, ExpositionDialect.OpenMetrics));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidUtf8_ThrowsParseExceptionWithLine()
    {
        var bytes = Encoding.UTF8.GetBytes("a 1\nb 2\n").Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).ToArray();

        var error = Assert.Throws<ExpositionParseException>(() => ExpositionParser.Parse(bytes, ExpositionDialect.PrometheusText));

        Assert.Contains("Line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exception_LongLine_SnippetIsBounded()
    {
        var text = "x{a=\"" + new string('v', 500) + "\\q\"} 1\n";

        var error = Assert.Throws<ExpositionParseException>(() => ExpositionParser.Parse(text, ExpositionDialect.PrometheusText));

        Assert.Equal(80, error.Snippet.Length);
    }
}
