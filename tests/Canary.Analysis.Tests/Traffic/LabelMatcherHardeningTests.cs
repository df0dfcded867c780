using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;
using Prometheus;
using Canary.Analysis.Metrics.Scrape;

namespace Canary.Analysis.Tests.Traffic;

public sealed class LabelMatcherHardeningTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("a=\"\\UFFFFFFFF\"")]
    [InlineData("a=\"\\U80000000\"")]
    [InlineData("a=\"\\U00110000\"")]
    [InlineData("a=\"\\U0000D800\"")]
    [InlineData("a=\"\\uD800\"")]
    [InlineData("a=\"\\uDFFF\\uD800\"")]
    [InlineData("a=\"\\u12\"")]
    [InlineData("a=\"\\U1234\"")]
    [InlineData("a=\"\\x4\"")]
    [InlineData("a=\"\\x\"")]
    [InlineData("a=\"\\4\"")]
    [InlineData("a=\"\\48\"")]
    [InlineData("a=\"\\400\"")]
    [InlineData("a=\"\\xff\\xfe\"")]
    [InlineData("a=\"\\355\\240\\200\"")] // UTF-8 of a surrogate, in octal
    [InlineData("a=\"\\")]
    [InlineData("a=\"\\u")]
    [InlineData("a=\"\\U+0001F60\"")]
    [InlineData("a=\"\\u-123\"")]
    [InlineData("a=\"\\u 123\"")]
    public void TryParse_InvalidEscape_ReturnsFalseAndParseThrowsFormatException(string text)
    {
        Assert.False(LabelSelector.TryParse(text, out var selector));
        Assert.Null(selector);
        Assert.Throws<FormatException>(() => LabelSelector.Parse(text));
    }

    [Theory]
    [InlineData("a=\"\\U0010FFFF\"", "\U0010FFFF")]
    [InlineData("a=\"\\U0001F600\"", "\U0001F600")]
    [InlineData("a=\"\\uFFFF\"", "\uFFFF")]
    [InlineData("a=\"\\xF0\\x9F\\x98\\x80\"", "\U0001F600")]
    [InlineData("a=\"\\360\\237\\230\\200\"", "\U0001F600")]
    [InlineData("a=\"\U0001F600\"", "\U0001F600")]
    public void Parse_ValidEscapesAndPairs_AreDecoded(string text, string value)
    {
        Assert.Equal(value, LabelSelector.Parse(text).Matchers[0].Value);
    }

    [Fact]
    public void TryParse_LoneSurrogateCharacter_ReturnsFalse()
    {
        const char High = (char)0xD800, Low = (char)0xDC00;
        string[] texts = [$"a=\"{High}\"", $"a=\"x{Low}\"", $"a='{High}'", $"a=`{High}`", $"a=\"{High}{High}\"", $"a=\"{Low}{High}\"", $"a=\"{High}"];
        foreach (var text in texts)
        {
            Assert.False(LabelSelector.TryParse(text, out _));
            var ex = Assert.Throws<FormatException>(() => LabelSelector.Parse(text));
            Assert.Contains("surrogate", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal("\U00010200", LabelSelector.Parse($"a=\"{High}\uDE00\"").Matchers[0].Value);
    }

    [Theory]
    [InlineData("a=~\"(a)\\\\1\"")] // backreference
    [InlineData("a=~\"(?=a)a\"")] // lookahead
    [InlineData("a=~\"(?<!a)b\"")] // lookbehind
    [InlineData("a=~\"(?>a+)b\"")] // atomic group
    public void TryParse_RegexConstructsRe2DoesNotHave_ReturnsFalse(string text)
    {
        Assert.False(LabelSelector.TryParse(text, out _));
        var ex = Assert.Throws<FormatException>(() => LabelSelector.Parse(text));
        Assert.Contains("RE2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_CatastrophicPattern_IsLinearAndCorrect()
    {
        var matcher = LabelSelector.Parse("a=~\"(a+)+b\"").Matchers[0];
        var hostile = new string('a', 100_000) + "c";

        Assert.False(matcher.Matches(hostile));
        Assert.True(matcher.Matches(new string('a', 50) + "b"));
        Assert.True(LabelSelector.Parse("a!~\"(a+)+b\"").Matchers[0].Matches(hostile));
    }

    [Fact]
    public void Matches_InlineCaseInsensitiveOption_StillWorks()
    {
        Assert.True(LabelMatcher.Regex("a", "(?i)WEB-.*").Matches("web-1"));
        Assert.False(LabelMatcher.Regex("a", "web").Matches("web-1")); // fully anchored
    }

    [Fact]
    public void Matches_Timeout_ThrowsLabelMatchTimeoutExceptionNamingTheMatcher()
    {
        var matcher = new LabelMatcher("pod", MatchOperator.Regex, "(a|b)*(x|y)", TimeSpan.FromTicks(1));
        var value = string.Concat(Enumerable.Repeat("ab", 2_000_000));
        value += "y";

        var ex = Assert.Throws<LabelMatchTimeoutException>(() => matcher.Matches(value));

        Assert.Equal("pod=~\"(a|b)*(x|y)\"", ex.Matcher);
        Assert.Equal(TimeSpan.FromTicks(1), ex.MatchTimeout);
        Assert.Contains("pod=~", ex.Message, StringComparison.Ordinal);
        Assert.Contains("4000001 characters", ex.Message, StringComparison.Ordinal);
        Assert.IsType<System.Text.RegularExpressions.RegexMatchTimeoutException>(ex.InnerException);
    }

    [Fact]
    public async Task RegistrySource_CatastrophicSelector_ReadsWithoutTimeout()
    {
        var (histogram, clock, source) = await RegistrySourceAsync();
        histogram.WithLabels("200", "/a", new string('a', 5_000) + "c").Observe(0.1);
        histogram.WithLabels("200", "/b", "aaab").Observe(0.1);
        clock.Advance(TimeSpan.FromMinutes(1));

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Parse("pod=~\"(a+)+b\""), clock.Now, TimeSpan.FromMinutes(1)));

        Assert.Equal(["/b"], snapshot.Endpoints.Keys);
    }

    [Fact]
    public async Task AnalysisRun_SelectorMatchTimesOut_ThatLookIsATypedErrorNamingTheMatcher_NeverAVerdict()
    {
        var (histogram, clock, source) = await RegistrySourceAsync();
        for (var i = 0; i < 100; i++)
        {
            histogram.WithLabels("200", "/a", string.Concat(Enumerable.Repeat("ab", 100_000)) + "y").Observe(0.1);
        }

        clock.Advance(TimeSpan.FromMinutes(1));

        // A matcher whose timeout any real value exceeds (the public one allows a second): the look cannot be judged.
        var selector = LabelSelector.Of(new LabelMatcher("pod", MatchOperator.Regex, "(a|b)*(x|y)", TimeSpan.FromTicks(1)));
        var check = new Canary.Analysis.Analysis.SuccessRateCheck(source, selector, TimeSpan.FromMinutes(1), new Canary.Analysis.Evaluation.SuccessRateCriteria { MinimumRequestsPerEndpoint = 1 });
        var run = new Canary.Analysis.Analysis.AnalysisRun([new Canary.Analysis.Analysis.AnalysisMetric { Name = "success", Check = check, Interval = TimeSpan.FromMinutes(1), Count = 1 }], clock.Now);

        await run.TickAsync(clock.Now);

        var metric = Assert.Single(run.Metrics);
        Assert.Equal((0, 1), (metric.Successful, metric.Errors));
        Assert.Equal(Canary.Analysis.Analysis.MeasurementPhase.Error, metric.Last!.Phase);
        Assert.StartsWith("LabelMatchTimeoutException: ", metric.Last.Reason, StringComparison.Ordinal);
        Assert.Contains("pod=~\"(a|b)*(x|y)\"", metric.Last.Reason, StringComparison.Ordinal);
        Assert.NotEqual(Canary.Analysis.Analysis.AnalysisPhase.Successful, run.Phase);
    }

    /// <summary>An in-process source over a fresh registry with the request histogram, collected once at T0.</summary>
    private static async Task<(Histogram Histogram, ManualTimeProvider Clock, PrometheusNetRegistryTrafficSource Source)> RegistrySourceAsync()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var histogram = Prometheus.Metrics.WithCustomRegistry(registry).CreateHistogram(
            "http_request_duration_seconds", "test", new HistogramConfiguration { LabelNames = ["code", "endpoint", "pod"] });
        var clock = new ManualTimeProvider(T0);
        var source = new PrometheusNetRegistryTrafficSource(registry, TrafficConvention.PrometheusNet, timeProvider: clock);
        await source.CollectAsync();
        return (histogram, clock, source);
    }
}
