using Canary.Analysis.Demo;

namespace Canary.Analysis.IntegrationTests.Samples;

/// <summary>The demo's <c>--metrics-out FILE</c> option (the file itself is checked in Observability/DashboardQueryTests).</summary>
public sealed class DemoMetricsOutTests
{
    [Fact]
    public void MetricsOut_TakesAFile_CombinesWithLiveOptions_NotWithARecording()
    {
        var command = DemoCommandLine.Parse(["--healthy", "--metrics-out", "status.prom"], "root");

        Assert.Equal(("status.prom", true), (command.Live.MetricsOut, command.Live.Healthy));
        Assert.Null(DemoCommandLine.Parse(["--healthy"], "root").Live.MetricsOut);
        Assert.Throws<FormatException>(() => DemoCommandLine.Parse(["--metrics-out"], "root"));
        Assert.Throws<FormatException>(() => DemoCommandLine.Parse(["--recorded", "--metrics-out", "status.prom"], "root"));
        Assert.Contains("[--metrics-out FILE]", DemoCommandLine.Usage, StringComparison.Ordinal);
    }
}
