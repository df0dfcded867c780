namespace Canary.Analysis.IntegrationTests.Infrastructure;

public sealed class PrometheusServerTests
{
    private static readonly DateTimeOffset T0 = StandardFixture.Start;

    [PrometheusFact]
    public async Task Small_text_fixture_is_served_and_everything_is_cleaned_up_on_dispose()
    {
        var text = string.Join('\n',
            "# HELP jobs_total Jobs.",
            "# TYPE jobs_total counter",
            $"jobs_total{{job=\"t\"}} 1 {T0.ToUnixTimeSeconds()}",
            $"jobs_total{{job=\"t\"}} 5 {T0.AddSeconds(15).ToUnixTimeSeconds()}",
            "# EOF",
            string.Empty);

        var server = await PrometheusServer.StartAsync(text, new PrometheusServerOptions
        {
            ReadinessQuery = "jobs_total",
            ReadinessTime = T0.AddSeconds(15),
            UseBlockCache = false,
        });
        string directory;
        await using (server)
        {
            directory = server.Directory;
            using var client = new RawPrometheusClient(server.Address);
            Assert.Equal(5, await client.QuerySingleAsync("jobs_total", T0.AddSeconds(20)));
            Assert.Equal(1, client.QueryCount);
        }

        Assert.False(Directory.Exists(directory));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(server.Address, "-/ready")));
    }

    [PrometheusFact]
    public async Task Promtool_errors_are_reported_with_its_output()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PrometheusServer.StartAsync("this is not openmetrics\n", new PrometheusServerOptions { UseBlockCache = false }));

        Assert.Contains("promtool", error.Message, StringComparison.Ordinal);
        Assert.Contains("exit code", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Builder_output_is_deterministic_and_well_formed()
    {
        static OpenMetricsFixture Small() => new OpenMetricsFixtureBuilder(7, T0, T0.AddMinutes(2))
            .AddJob(ManyEndpointsFixture.CreateJob(2))
            .Build();

        var text = Small().ToOpenMetricsText();

        Assert.Equal(text, Small().ToOpenMetricsText());
        Assert.StartsWith("# HELP http_request_duration_seconds ", text, StringComparison.Ordinal);
        Assert.EndsWith("# EOF\n", text, StringComparison.Ordinal);
        Assert.Contains("le=\"0.001\"", text, StringComparison.Ordinal);
        Assert.Contains("le=\"32.768\"", text, StringComparison.Ordinal);
        Assert.Contains("le=\"+Inf\"", text, StringComparison.Ordinal);
        Assert.Equal(1, text.Split("# TYPE").Length - 1);
    }
}
