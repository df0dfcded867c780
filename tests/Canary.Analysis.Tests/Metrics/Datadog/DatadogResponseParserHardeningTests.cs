using System.Text;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Datadog.Internal;

namespace Canary.Analysis.Tests.Metrics.Datadog;

/// <summary>Malformed Datadog bodies: each is InvalidResponse naming the query, never a raw JSON exception.</summary>
public sealed class DatadogResponseParserHardeningTests
{
    private const string Query = "sum:trace.http.request.hits{service:web} by {resource_name}.as_count()";

    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1767225300);

    private static MetricQueryException Invalid(Func<ReadOnlyMemory<byte>, MetricQueryResult> parse, string json)
    {
        var ex = Assert.Throws<MetricQueryException>(() => parse(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(MetricQueryErrorKind.InvalidResponse, ex.Kind);
        Assert.Equal(Query, ex.Query);
        return ex;
    }

    private static MetricQueryResult V1(ReadOnlyMemory<byte> body) => DatadogResponseParser.ParseV1(body, Query, 200);

    private static MetricQueryResult Timeseries(ReadOnlyMemory<byte> body) => DatadogResponseParser.ParseTimeseries(body, Query, 200);

    private static MetricQueryResult Scalar(ReadOnlyMemory<byte> body) => DatadogResponseParser.ParseScalar(body, Query, 200, Time);

    [Theory]
    [InlineData("""{"series":[{"tag_set":["resource_name:\ud800"],"pointlist":[[1767225300000,1]]}]}""")]
    [InlineData("""{"series":[{"tag_set":[1],"pointlist":[[1767225300000,1]]}]}""")]
    [InlineData("""{"series":[{"scope":"a:1","metric":"\udfff","pointlist":[]}]}""")]
    [InlineData("""{"series":[7]}""")]
    [InlineData("""{"series":[{"pointlist":[[-99999999999,1]]}]}""")]
    [InlineData("""{"series":[{"pointlist":[[-1,1]]}]}""")]
    [InlineData("""{"series":[{"pointlist":[[9999999999999999,1]]}]}""")]
    [InlineData("""{"series":[{"pointlist":[[7258118400000,1]]}]}""")]
    [InlineData("""{"series":[{"pointlist":[[-253402300799998,1]]}]}""")]
    [InlineData("""{"series":[{"pointlist":[[1e400,1]]}]}""")]
    [InlineData("""{"series":[{"tag_set":["resource_name:a","resource_name:b"],"pointlist":[]}]}""")]
    [InlineData("""{"series":[{"tag_set":["resource_name:a"],"pointlist":[]},{"tag_set":["resource_name:a"],"pointlist":[]}]}""")]
    public void ParseV1_Malformed_IsInvalidResponse(string json) => Invalid(V1, json);

    [Theory]
    [InlineData("""{"data":{"attributes":{"series":[{"group_tags":["\ud800"]}],"times":[1767225300000],"values":[[1]]}}}""")]
    [InlineData("""{"data":{"attributes":{"series":[{"group_tags":[{}]}],"times":[1767225300000],"values":[[1]]}}}""")]
    [InlineData("""{"data":{"attributes":{"series":[5],"times":[1767225300000],"values":[[1]]}}}""")]
    [InlineData("""{"data":{"attributes":{"series":[{"group_tags":["a:1"]}],"times":[-99999999999],"values":[[1]]}}}""")]
    [InlineData("""{"data":{"attributes":{"series":[{"group_tags":["a:1"]}],"times":[9999999999999999],"values":[[1]]}}}""")]
    [InlineData("""{"data":{"attributes":{"series":[{"group_tags":["a:1"]}],"times":["x"],"values":[[1]]}}}""")]
    [InlineData("""{"data":{"attributes":{"series":[{"group_tags":["a:1"]},{"group_tags":["a:1"]}],"times":[1767225300000],"values":[[1],[2]]}}}""")]
    [InlineData("""{"data":{"attributes":{"series":[{"group_tags":["a:1","a:2"]}],"times":[1767225300000],"values":[[1]]}}}""")]
    public void ParseTimeseries_Malformed_IsInvalidResponse(string json) => Invalid(Timeseries, json);

    [Theory]
    [InlineData("""{"data":{"attributes":{"columns":[{"name":"\ud800","type":"group","values":[["x"]]},{"name":"a","type":"number","values":[1]}]}}}""")]
    [InlineData("""{"data":{"attributes":{"columns":[{"name":"r","type":"group","values":[["\udc00"]]},{"name":"a","type":"number","values":[1]}]}}}""")]
    [InlineData("""{"data":{"attributes":{"columns":[{"name":"r","type":"group","values":[["x"],["x"]]},{"name":"a","type":"number","values":[1,2]}]}}}""")]
    [InlineData("""{"data":{"attributes":{"columns":[{"name":"r","type":"group","values":[["x"]]},{"name":"r","type":"group","values":[["y"]]},{"name":"a","type":"number","values":[1]}]}}}""")]
    [InlineData("""{"data":{"attributes":{"columns":[5]}}}""")]
    [InlineData("""{"data":{"attributes":{"columns":[{"name":"a","type":"number","values":["1"]}]}}}""")]
    public void ParseScalar_Malformed_IsInvalidResponse(string json) => Invalid(Scalar, json);

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // an encoded surrogate
    [InlineData(new byte[] { 0xC0, 0xAF })] // overlong
    public void Parse_InvalidUtf8InATagOrColumn_IsInvalidResponse(byte[] bad)
    {
        InvalidBytes(V1, Body("{\"series\":[{\"tag_set\":[\"resource_name:/p", bad, "\"],\"pointlist\":[[1767225300000,1]]}]}"));
        InvalidBytes(V1, Body("{\"series\":[{\"scope\":\"resource_name:/p", bad, "\",\"pointlist\":[[1767225300000,1]]}]}"));
        InvalidBytes(Timeseries, Body("{\"data\":{\"attributes\":{\"series\":[{\"group_tags\":[\"resource_name:/p", bad, "\"]}],\"times\":[1767225300000],\"values\":[[1]]}}}"));
        InvalidBytes(Scalar, Body("{\"data\":{\"attributes\":{\"columns\":[{\"name\":\"r\",\"type\":\"group\",\"values\":[[\"/p", bad, "\"]]},{\"name\":\"a\",\"type\":\"number\",\"values\":[1]}]}}}"));
        InvalidBytes(Scalar, Body("{\"data\":{\"attributes\":{\"columns\":[{\"name\":\"r", bad, "\",\"type\":\"group\",\"values\":[[\"/p\"]]},{\"name\":\"a\",\"type\":\"number\",\"values\":[1]}]}}}"));
    }

    private static void InvalidBytes(Func<ReadOnlyMemory<byte>, MetricQueryResult> parse, byte[] body)
    {
        var ex = Assert.Throws<MetricQueryException>(() => parse(body));
        Assert.Equal(MetricQueryErrorKind.InvalidResponse, ex.Kind);
        Assert.Equal(Query, ex.Query);
    }

    private static byte[] Body(string before, byte[] bad, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. bad, .. Encoding.UTF8.GetBytes(after)];

    [Fact]
    public void ParseScalar_SameTagValueTwice_IsOneLabel()
    {
        var result = Scalar(Encoding.UTF8.GetBytes("""{"data":{"attributes":{"columns":[{"name":"r","type":"group","values":[["r:x"]]},{"name":"r","type":"group","values":[["x"]]},{"name":"a","type":"number","values":[1]}]}}}"""));

        Assert.Equal("x", Assert.Single(result.Series).GetLabel("r"));
    }

    [Fact]
    public void ParseV1_TimestampAtTheEdgesOfTheRange_IsRead()
    {
        var result = V1(Encoding.UTF8.GetBytes("""{"series":[{"tag_set":["a:1"],"pointlist":[[0,1],[7258118399999,2]]}]}"""));

        Assert.Equal([0L, 7258118399999L], result.Series[0].Samples.Select(s => s.Timestamp.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public void TryReadErrors_LoneSurrogate_IsNullNotAnException()
    {
        Assert.Null(DatadogResponseParser.TryReadErrors("""{"errors":["\ud800"]}"""u8));
    }

    [Fact]
    public void Parse_DuplicateKey_IsInvalidResponse()
    {
        Invalid(V1, """{"series":[{"tag_set":["a:1"],"pointlist":[[1767225300000,1]],"pointlist":[[1767225300000,5]]}]}""");
        Invalid(Scalar, """{"data":{"attributes":{"columns":[{"name":"a","type":"number","values":[1],"values":[2]}]}}}""");
    }
}
