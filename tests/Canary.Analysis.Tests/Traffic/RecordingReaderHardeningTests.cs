using System.Text;
using Canary.Analysis.Metrics.Recorded;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Traffic;

/// <summary>Malformed recording files: always a FormatException naming the source, never a raw JSON or argument exception.</summary>
public sealed class RecordingReaderHardeningTests
{
    private const string Traffic = "canary-analysis/recorded-traffic/v1";

    private static FormatException TrafficFails(string json) =>
        Assert.Throws<FormatException>(() => RecordedTrafficSource.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "rec.json"));

    private static FormatException MetricsFails(string json) =>
        Assert.Throws<FormatException>(() => RecordedMetricProvider.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "rec.json"));

    private static string Snapshot(string query = """{"selector":"version=\"canary\"","end":"2026-01-01T00:13:00Z","window":"00:13:00"}""", string endpoints = """[{"endpoint":"/a","counts":{"2xx":10}}]""") =>
        $$$"""{"format":"{{{Traffic}}}","snapshots":[{"query":{{{query}}},"endpoints":{{{endpoints}}}}]}""";

    [Fact]
    public void Valid_Loads()
    {
        var source = RecordedTrafficSource.Load(new MemoryStream(Encoding.UTF8.GetBytes(Snapshot())), "rec.json");

        Assert.Equal(10d, source.Snapshots[0].Snapshot.Endpoints["/a"].Requests);
    }

    [Theory]
    [InlineData("""{"selector":"version=\"\ud800\"","end":"2026-01-01T00:13:00Z","window":"00:13:00"}""", null)]
    [InlineData("""{"selector":"version=\"\\UFFFFFFFF\"","end":"2026-01-01T00:13:00Z","window":"00:13:00"}""", null)]
    [InlineData("""{"selector":"a=~\"(?=x)\"","end":"2026-01-01T00:13:00Z","window":"00:13:00"}""", null)]
    [InlineData("""{"selector":"","end":"0001-01-01T00:00:00Z","window":"00:13:00"}""", null)]
    [InlineData("""{"selector":"","end":"\udc00","window":"00:13:00"}""", null)]
    [InlineData("""{"selector":"","end":"2026-01-01T00:13:00Z","window":"10675199.02:48:05.4775807"}""", null)]
    [InlineData(null, """[{"endpoint":"\ud800","counts":{"2xx":10}}]""")]
    [InlineData(null, """[{"endpoint":"/a","counts":{"\ud800":10}}]""")]
    [InlineData(null, """[{"endpoint":"/a","counts":{"2xx":1e400}}]""")]
    [InlineData(null, """[{"endpoint":"/a","counts":{"2xx":"\ud800"}}]""")]
    [InlineData(null, """[{"endpoint":"/a","successRule":"\ud800","counts":{}}]""")]
    [InlineData(null, """[{"endpoint":"/a","counts":{},"latency":{"buckets":[{"le":"\ud800","count":1}]}}]""")]
    [InlineData(null, """[{"endpoint":"/a","counts":{},"latency":{"buckets":[{"le":"+Inf","count":1e999}]}}]""")]
    public void TrafficRecording_Malformed_ThrowsFormatException(string? query, string? endpoints)
    {
        var json = query is null ? Snapshot(endpoints: endpoints!) : Snapshot(query: query);

        var ex = TrafficFails(json);

        Assert.StartsWith("rec.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrafficRecording_LoneSurrogateInFormatOrWarnings_ThrowsFormatException()
    {
        TrafficFails("""{"format":"\ud800","snapshots":[]}""");
        TrafficFails($$$"""{"format":"{{{Traffic}}}","snapshots":[{"query":{"selector":"","end":"2026-01-01T00:13:00Z","window":"00:13:00"},"warnings":["\ud800"],"endpoints":[]}]}""");
    }

    [Fact]
    public void Recordings_DuplicateKey_ThrowsFormatException()
    {
        TrafficFails(Snapshot(endpoints: """[{"endpoint":"/a","counts":{"2xx":10,"2xx":1}}]"""));
        MetricsFails("""{"format":"canary-analysis/recorded-prometheus/v1","recordings":[],"recordings":[]}""");
    }

    [Theory]
    [InlineData("{}", "snapshots[0].gaps: expected an array")]
    [InlineData("[1]", "snapshots[0].gaps[0]: expected an object")]
    [InlineData("""[{"kind":"Unknown","description":"x"}]""", "snapshots[0].gaps[0].kind: expected one of PartialResponse")]
    [InlineData("""[{"kind":"0","description":"x"}]""", "snapshots[0].gaps[0].kind")]
    [InlineData("""[{"kind":"partialresponse","description":"x"}]""", "snapshots[0].gaps[0].kind")]
    [InlineData("""[{"kind":1,"description":"x"}]""", "snapshots[0].gaps[0]: expected \"kind\"")]
    [InlineData("""[{"description":"x"}]""", "snapshots[0].gaps[0]: expected \"kind\"")]
    [InlineData("""[{"kind":"MissingData"}]""", "snapshots[0].gaps[0]: expected \"description\"")]
    [InlineData("""[{"kind":"MissingData","description":null}]""", "snapshots[0].gaps[0]: expected \"description\"")]
    [InlineData("""[{"kind":"MissingData","description":"\ud800"}]""", "rec.json")]
    [InlineData("""[{"kind":"MissingData","kind":"PartialResponse","description":"x"}]""", "rec.json")]
    public void TrafficRecording_MalformedGaps_ThrowsFormatExceptionNamingThePlace(string gaps, string expected)
    {
        var json = $$$"""{"format":"{{{Traffic}}}","snapshots":[{"query":{"selector":"","end":"2026-01-01T00:13:00Z","window":"00:13:00"},"gaps":{{{gaps}}},"endpoints":[]}]}""";

        var ex = TrafficFails(json);

        Assert.StartsWith("rec.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"query":"\ud800","response":{"status":"success","data":{"resultType":"vector","result":[]}}}""")]
    [InlineData("""{"query":"up","time":"\ud800","response":{"status":"success","data":{"resultType":"vector","result":[]}}}""")]
    [InlineData("""{"query":"up","response":{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"\ud800"},"value":[1,"1"]}]}}}""")]
    [InlineData("""{"query":"up","response":{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[-99999999999,"1"]}]}}}""")]
    [InlineData("""{"query":"up","response":{"status":"success","data":{"resultType":"vector","result":[{"metric":{}}]}}}""")]
    [InlineData("""{"query":"up","response":{}}""")]
    public void MetricRecording_Malformed_ThrowsFormatExceptionAtLoad(string recording)
    {
        var ex = MetricsFails($$$"""{"format":"canary-analysis/recorded-prometheus/v1","recordings":[{{{recording}}}]}""");

        Assert.StartsWith("rec.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricRecording_RecordedErrorBody_LoadsAndReplaysTheBackendError()
    {
        var provider = RecordedMetricProvider.Load(new MemoryStream("""
            {"format":"canary-analysis/recorded-prometheus/v1","recordings":[{"query":"up","response":{"status":"error","errorType":"timeout","error":"query timed out"}}]}
            """u8.ToArray()), "rec.json");

        var ex = await Assert.ThrowsAsync<Canary.Analysis.Metrics.MetricQueryException>(() => provider.QueryAsync("up", DateTimeOffset.UnixEpoch));

        Assert.Equal(Canary.Analysis.Metrics.MetricQueryErrorKind.Backend, ex.Kind);
    }
}
