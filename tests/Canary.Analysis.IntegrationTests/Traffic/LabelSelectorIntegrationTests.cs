using System.Text.Json;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.IntegrationTests.Traffic;

/// <summary>
/// <see cref="LabelSelector.Parse"/> must read a quoted value exactly as Prometheus reads the same PromQL literal:
/// the oracle is Prometheus' own answer to the literal as a query (a PromQL string expression).
/// </summary>
[Collection(PrometheusCollectionDefinition.Name)]
public sealed class LabelSelectorIntegrationTests(PrometheusFixture prometheus)
{
    [PrometheusTheory]
    [InlineData("\"caf\\xc3\\xa9\"")]            // \x escapes are bytes of UTF-8, as in Go
    [InlineData("\"caf\\303\\251\"")]            // so are octal escapes
    [InlineData("\"\\xe2\\x82\\xac \\u20ac \\U0001F600\"")]
    [InlineData("\"a\\\"b\\\\c\\td\\a\\v\\f\"")]
    [InlineData("'it\\'s \"quoted\"'")]
    [InlineData("`raw \\x41 \\n`")]
    [InlineData("\"\\x41\\101 plain ü\"")]
    public async Task Parse_EscapedValue_DecodesLikePrometheus(string literal)
    {
        var expected = await PrometheusStringAsync(literal);

        var selector = LabelSelector.Parse("x=" + literal);

        Assert.Equal(expected, Assert.Single(selector.Matchers).Value);
        Assert.Equal(expected, await PrometheusStringAsync(Assert.Single(selector.Matchers).ToString()[2..]));
    }

    [PrometheusFact]
    public async Task Parse_EscapedByteThatIsNotUtf8_IsRejected()
    {
        // Prometheus keeps the raw byte E9, which no .NET string holds (its JSON answer shows U+FFFD): the parser
        // refuses rather than select a different value.
        Assert.Contains('\uFFFD', await PrometheusStringAsync("\"\\xe9\""));

        Assert.False(LabelSelector.TryParse("x=\"\\xe9\"", out _));
    }

    [PrometheusFact]
    public async Task Parse_OctalEscapeAbove377_IsRejectedLikePrometheus()
    {
        using var http = new HttpClient { BaseAddress = prometheus.Address };
        using var response = await http.GetAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString("\"\\777\"") + "&time=0", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);

        Assert.False(LabelSelector.TryParse("x=\"\\777\"", out _));
    }

    private async Task<string> PrometheusStringAsync(string literal)
    {
        using var http = new HttpClient { BaseAddress = prometheus.Address };
        var body = await http.GetStringAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(literal) + "&time=0", UriKind.Relative));
        using var document = JsonDocument.Parse(body);
        var data = document.RootElement.GetProperty("data");
        Assert.Equal("string", data.GetProperty("resultType").GetString());
        return data.GetProperty("result")[1].GetString()!;
    }
}
