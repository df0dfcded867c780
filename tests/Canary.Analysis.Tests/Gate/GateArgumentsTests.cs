using Canary.Analysis.Gate.Internal;

namespace Canary.Analysis.Tests.Gate;

public sealed class GateArgumentsTests
{
    private static readonly string[] Required = ["--prometheus", "http://prometheus:9090", "--canary", "version=\"canary\""];

    [Fact]
    public void Defaults_AreDocumented()
    {
        var arguments = GateArguments.Parse(Required);
        Assert.Equal((TimeSpan.FromMinutes(15), 0.95, 50.0, "prometheus-net"), (arguments.Window, arguments.MinimumSuccessRate, arguments.MinimumRequests, arguments.Convention.Name));
        Assert.Null(arguments.At);
        Assert.Null(arguments.Baseline);
        Assert.False(arguments.Wait);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d", 86400)]
    [InlineData("500ms", 0.5)]
    public void Window_TakesPrometheusDurations(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), GateArguments.Parse([.. Required, "--window", text]).Window);

    [Theory]
    [InlineData("1772368200", "2026-03-01T12:30:00Z")]
    [InlineData("1772368200.25", "2026-03-01T12:30:00.25Z")]
    [InlineData("2026-03-01T12:30:00Z", "2026-03-01T12:30:00Z")]
    [InlineData("2026-03-01T13:30:00+01:00", "2026-03-01T12:30:00Z")]
    [InlineData("2026-03-01T12:30:00.125Z", "2026-03-01T12:30:00.125Z")]
    public void At_IsUnixSecondsOrRfc3339(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), GateArguments.Parse([.. Required, "--at=" + text]).At);

    [Fact]
    public void Window_IsReadAsLooksAnIntervalApart_TheFirstTakingTheRest()
    {
        var arguments = GateArguments.Parse([.. Required, "--baseline", "version=\"stable\"", "--window", "150s", "--interval", "1m"]);
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(3, arguments.LooksPerWindow);
        Assert.Equal(TimeSpan.FromSeconds(30), arguments.FirstLookWindow);
        Assert.Equal([at.AddMinutes(-2), at.AddMinutes(-1)], arguments.EarlierLooks(at));
    }

    [Theory]
    [InlineData("--window", "0s", "must be positive")]
    [InlineData("--window", "15", "--window '15'")]
    [InlineData("--window", "m", "--window 'm'")]
    [InlineData("--min-success-rate", "NaN", "--min-success-rate 'NaN'")]
    [InlineData("--min-requests", "many", "--min-requests 'many'")]
    [InlineData("--at", "2026-03-01 12:30", "--at '2026-03-01 12:30'")]
    [InlineData("--report", " ", "--report needs a directory")]
    [InlineData("--baseline", "", "--baseline ''")]
    public void BadValues_AreUsageErrors_NamingTheArgumentAndValue(string name, string value, string expected)
    {
        var error = Assert.Throws<GateUsageException>(() => GateArguments.Parse([.. Required, name, value]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
