using System.Text;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Prometheus.Internal;

namespace Canary.Analysis.Tests.Metrics.Prometheus;

/// <summary>Responses that a lenient parser would read as evidence but are broken: each is InvalidResponse naming the query.</summary>
public sealed class PrometheusResponseParserHardeningTests
{
    private const string Query = "sum by (code) (increase(http_requests_total[5m]))";

    private static MetricQueryResult Parse(string json) => PrometheusResponseParser.Parse(Encoding.UTF8.GetBytes(json), Query);

    private static MetricQueryException Invalid(byte[] body)
    {
        var ex = Assert.Throws<MetricQueryException>(() => PrometheusResponseParser.Parse(body, Query));
        Assert.Equal(MetricQueryErrorKind.InvalidResponse, ex.Kind);
        Assert.Equal(Query, ex.Query);
        Assert.Contains(Query, ex.Message, StringComparison.Ordinal);
        return ex;
    }

    private static MetricQueryException Invalid(string json) => Invalid(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("vector", """{"metric":{"code":"200"},"value":[1,"5"]},{"metric":{"code":"200"},"value":[1,"7"]}""")]
    [InlineData("vector", """{"metric":{"a":"1","b":"2"},"value":[1,"5"]},{"metric":{"b":"2","a":"1"},"value":[1,"7"]}""")]
    [InlineData("vector", """{"metric":{},"value":[1,"5"]},{"metric":{},"value":[1,"7"]}""")]
    [InlineData("matrix", """{"metric":{"code":"200"},"values":[[1,"5"]]},{"metric":{"code":"500"},"values":[[1,"1"]]},{"metric":{"code":"200"},"values":[[2,"7"]]}""")]
    public void Parse_DuplicateSeries_IsInvalidNamingTheLabelSet(string resultType, string series)
    {
        var ex = Invalid($$$"""{"status":"success","data":{"resultType":"{{{resultType}}}","result":[{{{series}}}]}}""");

        Assert.Contains("same label set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeriesDifferingInOneLabelValue_AreNotDuplicates()
    {
        var result = Parse("""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"a":"1","b":"2"},"value":[1,"5"]},{"metric":{"a":"1","b":"3"},"value":[1,"7"]},{"metric":{"a":"1"},"value":[1,"7"]}]}}
            """);

        Assert.Equal(3, result.Series.Count);
    }

    [Theory]
    [InlineData("vector", """{"metric":{"code":"200"}}""")]
    [InlineData("vector", """{"metric":{"code":"200"},"exemplars":[]}""")]
    [InlineData("matrix", """{"metric":{"code":"200"}}""")]
    public void Parse_SeriesWithoutValue_IsInvalid(string resultType, string series)
    {
        var ex = Invalid($$$"""{"status":"success","data":{"resultType":"{{{resultType}}}","result":[{"metric":{"code":"500"},"value":[1,"1"]},{{{series}}}]}}""");

        Assert.Contains("no \"value\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateLabelKey_IsInvalidNamingTheLabel()
    {
        var ex = Invalid("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"code":"200","code":"500"},"value":[1,"1"]}]}}""");

        Assert.Contains("label 'code' appears twice", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"status":"success","status":"success","data":{"resultType":"vector","result":[]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[]},"data":{"resultType":"vector","result":[]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","resultType":"matrix","result":[]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[],"result":[]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"metric":{"a":"2"},"value":[1,"1"]}]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"],"value":[1,"2"]}]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]],"values":[[2,"2"]]}]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"value":[1,"1"],"values":[[2,"2"]]}]}}""")]
    public void Parse_DuplicateKey_IsInvalid(string json)
    {
        var ex = Invalid(json);

        Assert.Contains("appears twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateLabelKeyOneEscaped_IsInvalid()
    {
        Invalid("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"code":"200","\u0063ode":"500"},"value":[1,"1"]}]}}""");
    }

    [Theory]
    [InlineData("""{"metric":{"code":"\ud800"},"value":[1,"1"]}""")]
    [InlineData("""{"metric":{"code":"\udc00x"},"value":[1,"1"]}""")]
    [InlineData("""{"metric":{"\ud800":"200"},"value":[1,"1"]}""")]
    [InlineData("""{"metric":{"code":"200"},"value":[1,"\ud800"]}""")]
    public void Parse_LoneSurrogateEscape_IsInvalid(string series)
    {
        Invalid($$$"""{"status":"success","data":{"resultType":"vector","result":[{{{series}}}]}}""");
    }

    [Fact]
    public void Parse_LoneSurrogateInWarningsOrError_IsInvalid()
    {
        Invalid("""{"status":"success","warnings":["\ud800"],"data":{"resultType":"vector","result":[]}}""");
        Invalid("""{"status":"error","errorType":"bad_data","error":"\udfff"}""");
    }

    [Fact]
    public void Parse_SurrogatePairEscape_IsRead()
    {
        var result = Parse("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"path":"/\ud83d\ude00"},"value":[1,"1"]}]}}""");

        Assert.Equal("/\U0001F600", result.Series[0].GetLabel("path"));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // an encoded surrogate
    [InlineData(new byte[] { 0xC0, 0xAF })] // overlong
    public void Parse_InvalidUtf8InLabelValueOrName_IsInvalid(byte[] bad)
    {
        Invalid(Body("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"code\":\"2", bad, "\"},\"value\":[1,\"1\"]}]}}"));
        Invalid(Body("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"co", bad, "de\":\"200\"},\"value\":[1,\"1\"]}]}}"));
        Invalid(Body("{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,\"a", bad, "\"]}}"));
    }

    [Theory]
    [InlineData("-99999999999")]
    [InlineData("-1")]
    [InlineData("-0.001")]
    [InlineData("9999999999999999")]
    [InlineData("99999999999999999999")]
    [InlineData("7258118400")]
    [InlineData("7258118400.5")]
    [InlineData("1e300")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    public void Parse_TimestampOutsideSaneRange_IsInvalid(string timestamp)
    {
        var ex = Invalid($$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[{{{timestamp}}},"1"]}]}}""");

        Assert.Contains("1970-01-01", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TimestampOutsideSaneRangeInMatrixAndScalar_IsInvalid()
    {
        Invalid("""{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"],[9999999999999999,"2"]]}]}}""");
        Invalid("""{"status":"success","data":{"resultType":"scalar","result":[-5,"1"]}}""");
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("7258118399.999", 7258118399999L)]
    [InlineData("1.7e9", 1700000000000L)]
    public void Parse_TimestampAtTheEdgesOfTheRange_IsRead(string timestamp, long milliseconds)
    {
        var result = Parse($$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[{{{timestamp}}},"1"]}]}}""");

        Assert.Equal(milliseconds, result.Series[0].Samples[0].Timestamp.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Parse_InfosAreWarningsButListedApart()
    {
        var result = Parse("""
            {"status":"success","warnings":["partial response"],"infos":["PromQL info: metric might not be a counter"],
             "data":{"resultType":"vector","result":[]}}
            """);

        Assert.Equal(["partial response", "PromQL info: metric might not be a counter"], result.Warnings);
        Assert.Equal(["PromQL info: metric might not be a counter"], result.Infos);
    }

    private static byte[] Body(string before, byte[] bad, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. bad, .. Encoding.UTF8.GetBytes(after)];
}
