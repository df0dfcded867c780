using System.Text;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Simulation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Traffic;

public sealed class RecordedTrafficTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);

    private static async Task<(TrafficRecorder Recorder, List<TrafficSnapshot> Read)> RecordAsync()
    {
        var model = SimulatedTrafficModel.RareEndpointScenario(Start);
        model.Faults = [SimulatedFault.Latency(2, "/api/e03"), SimulatedFault.Errors(0.2, "/rare")];
        var recorder = new TrafficRecorder(new SimulatedTrafficSource(model, 17));
        var read = new List<TrafficSnapshot>();
        for (var minute = 1; minute <= 13; minute++)
        {
            read.Add(await recorder.ReadAsync(new TrafficQuery(SimulatedTrafficSource.CanarySelector, Start.AddMinutes(minute), TimeSpan.FromMinutes(13)) { IncludeLatency = minute % 2 == 0 }));
            read.Add(await recorder.ReadAsync(new TrafficQuery(SimulatedTrafficSource.BaselineSelector, Start.AddMinutes(minute), TimeSpan.FromMinutes(13))));
        }

        return (recorder, read);
    }

    private static void AssertSame(TrafficSnapshot expected, TrafficSnapshot actual)
    {
        Assert.Equal((expected.End, expected.Window, expected.Warnings.Count), (actual.End, actual.Window, actual.Warnings.Count));
        Assert.Equal(expected.Endpoints.Keys.Order(StringComparer.Ordinal), actual.Endpoints.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, e) in expected.Endpoints)
        {
            var a = actual.Endpoints[name];
            foreach (var statusClass in Enum.GetValues<StatusClass>())
            {
                Assert.Equal(e[statusClass], a[statusClass]);
            }

            Assert.Equal(e.SuccessRule, a.SuccessRule);
            if (e.Latency is null)
            {
                Assert.Null(a.Latency);
                continue;
            }

            Assert.Equal(e.Latency.Buckets, a.Latency!.Buckets);
            Assert.Equal(e.Latency.Sum, a.Latency.Sum);
            Assert.Equal(e.Latency.Quantile(0.95), a.Latency.Quantile(0.95));
        }
    }

    [Fact]
    public async Task RoundTrip_ThroughAFile_ReplaysIdenticalSnapshots()
    {
        var (recorder, read) = await RecordAsync();
        Assert.Equal(26, recorder.Recording.Count);
        var path = Path.Combine(Path.GetTempPath(), $"canary-recorded-traffic-{Guid.NewGuid():N}.json");
        try
        {
            await recorder.SaveAsync(path);
            var text = await File.ReadAllTextAsync(path);
            Assert.Contains("\"format\": \"canary-analysis/recorded-traffic/v1\"", text, StringComparison.Ordinal);
            Assert.Contains("\"le\": \"+Inf\"", text, StringComparison.Ordinal);
            Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);

            Assert.All(read.SelectMany(r => r.Endpoints.Values).Where(e => e.Latency is not null), e => Assert.True(double.IsFinite(e.Latency!.Sum)));
            var replay = RecordedTrafficSource.Load(path);
            Assert.Equal(26, replay.Snapshots.Count);
            var i = 0;
            for (var minute = 1; minute <= 13; minute++)
            {
                AssertSame(read[i++], await replay.ReadAsync(new TrafficQuery(SimulatedTrafficSource.CanarySelector, Start.AddMinutes(minute), TimeSpan.FromMinutes(13)) { IncludeLatency = minute % 2 == 0 }));
                AssertSame(read[i++], await replay.ReadAsync(new TrafficQuery(LabelSelector.Parse("version='baseline'"), Start.AddMinutes(minute), TimeSpan.FromMinutes(13))));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task RoundTrip_KeepsNonFiniteCountsAndWarnings()
    {
        var snapshot = new TrafficSnapshot(Start, TimeSpan.FromMinutes(5),
            [
                new EndpointTraffic("/a", new Dictionary<StatusClass, double> { [StatusClass.Success] = 10.5, [StatusClass.ClientError] = 2, [StatusClass.Other] = 1 }, SuccessRule.Non5xx,
                    new LatencyHistogram([(0.1, 3), (double.PositiveInfinity, 13.5)])),
                new EndpointTraffic("/b\"quoted\"", new Dictionary<StatusClass, double> { [StatusClass.Success] = double.NaN }),
            ],
            ["partial data"]);
        var query = new TrafficQuery(LabelSelector.Parse("version=\"canary\",pod=~\"web-.*\""), Start, TimeSpan.FromMinutes(5));
        var recorder = new TrafficRecorder(new FixedSource(snapshot));
        await recorder.ReadAsync(query);
        using var stream = new MemoryStream();
        await recorder.SaveAsync(stream);
        stream.Position = 0;
        var replayed = await RecordedTrafficSource.Load(stream, "memory").ReadAsync(query);
        AssertSame(snapshot, replayed);
        Assert.Equal("partial data", Assert.Single(replayed.Warnings));
        Assert.False(replayed.Endpoints["/b\"quoted\""].HasValidCounts);
        Assert.True(double.IsNaN(replayed.Endpoints["/a"].Latency!.Sum));
    }

    [Fact]
    public async Task Replay_WithoutAMatch_FailsNamingWhatWasAskedAndWhatIsRecorded()
    {
        var (recorder, _) = await RecordAsync();
        var replay = new RecordedTrafficSource(recorder.Recording);

        var wrongEnd = await Assert.ThrowsAsync<MetricQueryException>(() => replay.ReadAsync(new TrafficQuery(SimulatedTrafficSource.CanarySelector, Start.AddMinutes(14), TimeSpan.FromMinutes(13))));
        Assert.Contains("ending 2026-03-02T14:14:00.0000000+00:00", wrongEnd.Message, StringComparison.Ordinal);
        Assert.Contains("13 snapshot(s) recorded for this selector, nearest: 00:13:00 ending 2026-03-02T14:13:00", wrongEnd.Message, StringComparison.Ordinal);

        var wrongWindow = await Assert.ThrowsAsync<MetricQueryException>(() => replay.ReadAsync(new TrafficQuery(SimulatedTrafficSource.CanarySelector, Start.AddMinutes(3), TimeSpan.FromMinutes(5))));
        Assert.Contains("over 00:05:00", wrongWindow.Message, StringComparison.Ordinal);

        var noLatency = await Assert.ThrowsAsync<MetricQueryException>(() => replay.ReadAsync(new TrafficQuery(SimulatedTrafficSource.CanarySelector, Start.AddMinutes(3), TimeSpan.FromMinutes(13)) { IncludeLatency = true }));
        Assert.Contains("with latency", noLatency.Message, StringComparison.Ordinal);

        var wrongSelector = await Assert.ThrowsAsync<MetricQueryException>(() => replay.ReadAsync(new TrafficQuery(LabelSelector.Parse("version=\"stable\""), Start.AddMinutes(3), TimeSpan.FromMinutes(13))));
        Assert.Contains("recorded selectors: {version=\"canary\"}, {version=\"baseline\"}", wrongSelector.Message, StringComparison.Ordinal);

        var empty = await Assert.ThrowsAsync<MetricQueryException>(() => new RecordedTrafficSource([]).ReadAsync(new TrafficQuery(SimulatedTrafficSource.CanarySelector, Start, TimeSpan.FromMinutes(1))));
        Assert.Contains("the recording is empty", empty.Message, StringComparison.Ordinal);

        // A recording with latency also answers the same query without it.
        Assert.NotNull(await replay.ReadAsync(new TrafficQuery(SimulatedTrafficSource.CanarySelector, Start.AddMinutes(2), TimeSpan.FromMinutes(13))));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"format\":\"canary-analysis/recorded-prometheus/v1\",\"snapshots\":[]}", "expected \"format\": \"canary-analysis/recorded-traffic/v1\"")]
    [InlineData("{\"format\":\"canary-analysis/recorded-traffic/v1\"}", "expected a \"snapshots\" array")]
    [InlineData("{\"format\":\"canary-analysis/recorded-traffic/v1\",\"snapshots\":[{}]}", "snapshots[0]: expected \"query\" to be an object")]
    [InlineData("{\"format\":\"canary-analysis/recorded-traffic/v1\",\"snapshots\":[{\"query\":{\"selector\":\"version=\",\"end\":\"2026-03-02T14:00:00Z\",\"window\":\"00:05:00\"},\"endpoints\":[]}]}", "snapshots[0].query.selector: Invalid label selector")]
    [InlineData("{\"format\":\"canary-analysis/recorded-traffic/v1\",\"snapshots\":[{\"query\":{\"selector\":\"\",\"end\":\"yesterday\",\"window\":\"00:05:00\"},\"endpoints\":[]}]}", "snapshots[0].query.end: expected an RFC 3339 timestamp, not \"yesterday\"")]
    [InlineData("{\"format\":\"canary-analysis/recorded-traffic/v1\",\"snapshots\":[{\"query\":{\"selector\":\"\",\"end\":\"2026-03-02T14:00:00Z\",\"window\":\"5m\"},\"endpoints\":[]}]}", "snapshots[0].query.window: expected a positive duration")]
    [InlineData("{\"format\":\"canary-analysis/recorded-traffic/v1\",\"snapshots\":[{\"query\":{\"selector\":\"\",\"end\":\"2026-03-02T14:00:00Z\",\"window\":\"00:05:00\"},\"endpoints\":[{\"endpoint\":\"/a\",\"counts\":{\"200\":1}}]}]}", "snapshots[0].endpoints[0] ('/a'): unknown status class \"200\"")]
    [InlineData("{\"format\":\"canary-analysis/recorded-traffic/v1\",\"snapshots\":[{\"query\":{\"selector\":\"\",\"end\":\"2026-03-02T14:00:00Z\",\"window\":\"00:05:00\"},\"endpoints\":[{\"endpoint\":\"/a\",\"counts\":{\"2xx\":-1}}]}]}", "('/a').counts.2xx: a count must not be negative")]
    [InlineData("{\"format\":\"canary-analysis/recorded-traffic/v1\",\"snapshots\":[{\"query\":{\"selector\":\"\",\"end\":\"2026-03-02T14:00:00Z\",\"window\":\"00:05:00\"},\"endpoints\":[{\"endpoint\":\"/a\",\"counts\":{},\"latency\":{\"buckets\":[{\"le\":\"fast\",\"count\":1}]}}]}]}", "('/a').latency.buckets[0]: \"le\" must be a number or \"+Inf\", not \"fast\"")]
    [InlineData("{\"format\":\"canary-analysis/recorded-traffic/v1\",\"snapshots\":[{\"query\":{\"selector\":\"\",\"end\":\"2026-03-02T14:00:00Z\",\"window\":\"00:05:00\"},\"endpoints\":[{\"endpoint\":\"/a\",\"counts\":{}},{\"endpoint\":\"/a\",\"counts\":{}}]}]}", "snapshots[0].endpoints[1]: endpoint '/a' appears twice")]
    public void Load_BadFile_NamesTheFileAndTheProblem(string json, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-traffic-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json, Encoding.UTF8);
        try
        {
            var ex = Assert.Throws<FormatException>(() => RecordedTrafficSource.Load(path));
            Assert.StartsWith(path + ": ", ex.Message, StringComparison.Ordinal);
            Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task RoundTrip_KeepsGaps_AndAReplayedGappedSnapshotIsInconclusive()
    {
        var snapshot = new TrafficSnapshot(Start, TimeSpan.FromMinutes(5),
            [new EndpointTraffic("/a", new Dictionary<StatusClass, double> { [StatusClass.Success] = 1000 })])
        {
            Gaps =
            [
                new DataGap(DataGapKind.PartialResponse, "prometheus: partial response \"quoted\""),
                new DataGap(DataGapKind.TargetUnreachable, "web-1: connection refused"),
                new DataGap(DataGapKind.MissingData, "/b: series vanished"),
            ],
        };
        var query = new TrafficQuery(LabelSelector.Parse("version=\"canary\""), Start, TimeSpan.FromMinutes(5));
        var recorder = new TrafficRecorder(new FixedSource(snapshot));
        await recorder.ReadAsync(query);
        using var stream = new MemoryStream();
        await recorder.SaveAsync(stream);
        Assert.Contains("\"gaps\"", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
        stream.Position = 0;

        var replayed = await RecordedTrafficSource.Load(stream, "memory").ReadAsync(query);

        Assert.Equal(snapshot.Gaps, replayed.Gaps);
        Assert.False(replayed.IsComplete);
        var criteria = new SuccessRateCriteria { MinimumSuccessRate = 0.95 };
        Assert.Equal(Verdict.Pass, SuccessRateEvaluator.Evaluate(new TrafficSnapshot(snapshot.End, snapshot.Window, snapshot.Endpoints.Values), criteria).Verdict);
        var result = SuccessRateEvaluator.Evaluate(replayed, criteria);
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("connection refused", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileWithoutGaps_IsComplete()
    {
        var json = """{"format":"canary-analysis/recorded-traffic/v1","snapshots":[{"query":{"selector":"","end":"2026-01-01T00:13:00Z","window":"00:13:00"},"endpoints":[]}]}""";

        var source = RecordedTrafficSource.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "old.json");

        Assert.True(source.Snapshots[0].Snapshot.IsComplete);
    }

    private sealed class FixedSource(TrafficSnapshot snapshot) : ITrafficSource
    {
        public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default) => Task.FromResult(snapshot);
    }
}
