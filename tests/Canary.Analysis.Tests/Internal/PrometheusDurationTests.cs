using Canary.Analysis.Internal;

namespace Canary.Analysis.Tests.Internal;

public sealed class PrometheusDurationTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("1m", 60_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m500ms", 60_500)]
    [InlineData("1d", 86_400_000)]
    [InlineData("2w", 1_209_600_000)]
    [InlineData("0s", 0)]
    public void Parse_ReadsPrometheusDurations(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), PrometheusDuration.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("m")]
    [InlineData("1.5h")]
    [InlineData("30m1h")] // largest unit first, as Prometheus requires
    [InlineData("1m1m")]
    [InlineData("-1m")]
    [InlineData(" 1m")]
    [InlineData("1M")]
    [InlineData("999999999w999999999d")] // longer than a TimeSpan
    public void Parse_RefusesAnythingElse(string text) => Assert.Null(PrometheusDuration.Parse(text));

    [Theory]
    [InlineData("1h30m")]
    [InlineData("13m")]
    [InlineData("1d2h")]
    [InlineData("1m500ms")]
    public void Format_RoundTrips(string text) => Assert.Equal(text, PrometheusDuration.Format(PrometheusDuration.Parse(text)!.Value));
}
