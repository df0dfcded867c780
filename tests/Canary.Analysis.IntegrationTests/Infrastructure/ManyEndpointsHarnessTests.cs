namespace Canary.Analysis.IntegrationTests.Infrastructure;

[Collection(ManyEndpointsCollectionDefinition.Name)]
public sealed class ManyEndpointsHarnessTests(ManyEndpointsPrometheusFixture fixture)
{
    [PrometheusTheory]
    [InlineData(ManyEndpointsPrometheusFixture.Small)]
    [InlineData(ManyEndpointsPrometheusFixture.Large)]
    public async Task One_grouped_query_returns_every_endpoint_and_code(int endpoints)
    {
        var job = ManyEndpointsFixture.JobName(endpoints);

        var result = await fixture.Client.QueryAsync(
            $"sum by (endpoint, code) (increase(http_request_duration_seconds_count{{job=\"{job}\",version=\"canary\"}}[15m]))",
            ManyEndpointsFixture.End);

        Assert.Equal(endpoints, result.Select(r => r["endpoint"]).Distinct().Count());
        Assert.Equal(endpoints * 2, result.Count);
        Assert.Contains(result, r => r["endpoint"] == ManyEndpointsFixture.EndpointName(endpoints - 1) && r["code"] == "500");
    }

    [PrometheusFact]
    public void Exact_counts_cover_every_endpoint()
    {
        var counts = fixture.Data.Counts(ManyEndpointsFixture.End - StandardFixture.Window, ManyEndpointsFixture.End)
            .Where(c => c.Job == ManyEndpointsFixture.JobName(ManyEndpointsPrometheusFixture.Large) && c.Version == FixtureVersions.Canary)
            .ToArray();

        Assert.Equal(ManyEndpointsPrometheusFixture.Large, counts.Select(c => c.Endpoint).Distinct().Count());
        Assert.All(counts.Where(c => c.Code == "200"), c => Assert.True(c.Requests > 100, $"{c.Endpoint}: {c.Requests}"));
    }
}
