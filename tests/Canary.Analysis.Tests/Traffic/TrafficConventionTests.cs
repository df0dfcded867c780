using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Traffic;

public sealed class TrafficConventionTests
{
    [Theory]
    [InlineData("200", StatusClass.Success)]
    [InlineData("204", StatusClass.Success)]
    [InlineData("2xx", StatusClass.Success)]
    [InlineData("5XX", StatusClass.ServerError)]
    [InlineData("503", StatusClass.ServerError)]
    [InlineData("404", StatusClass.ClientError)]
    [InlineData("4xx", StatusClass.ClientError)]
    [InlineData("301", StatusClass.Redirection)]
    [InlineData("101", StatusClass.Informational)]
    [InlineData("0", StatusClass.Other)]
    [InlineData("", StatusClass.Other)]
    [InlineData("600", StatusClass.Other)]
    [InlineData("2x0", StatusClass.Other)]
    [InlineData("OK", StatusClass.Other)]
    [InlineData("2000", StatusClass.Other)]
    public void Classify_FullAndReducedCodes(string status, StatusClass expected) =>
        Assert.Equal(expected, TrafficConvention.Classify(status));

    [Theory]
    [InlineData(SuccessRule.Status2xx, StatusClass.Success, true)]
    [InlineData(SuccessRule.Status2xx, StatusClass.ClientError, false)]
    [InlineData(SuccessRule.Status2xx, StatusClass.Redirection, false)]
    [InlineData(SuccessRule.Non5xx, StatusClass.ClientError, true)]
    [InlineData(SuccessRule.Non5xx, StatusClass.Redirection, true)]
    [InlineData(SuccessRule.Non5xx, StatusClass.ServerError, false)]
    [InlineData(SuccessRule.Non5xx, StatusClass.Other, false)]
    public void IsSuccess_FollowsTheRule(SuccessRule rule, StatusClass statusClass, bool expected) =>
        Assert.Equal(expected, (TrafficConvention.PrometheusNet with { SuccessRule = rule }).IsSuccess(statusClass));

    [Fact]
    public void Presets_MatchTheirStacks()
    {
        Assert.Equal(("http_request_duration_seconds_count", "endpoint", "code"),
            (TrafficConvention.PrometheusNet.RequestCountMetric, TrafficConvention.PrometheusNet.EndpointLabel, TrafficConvention.PrometheusNet.StatusLabel));
        Assert.Equal(("http_request_duration_seconds_count", "path", "status_code"),
            (TrafficConvention.ExpressPromBundle.RequestCountMetric, TrafficConvention.ExpressPromBundle.EndpointLabel, TrafficConvention.ExpressPromBundle.StatusLabel));
        Assert.Equal(SuccessRule.Status2xx, TrafficConvention.PrometheusNet.SuccessRule);
    }

    [Theory]
    [InlineData("bad metric", "code", "endpoint", "RequestCountMetric 'bad metric'")]
    [InlineData("ok", "co-de", "endpoint", "StatusLabel 'co-de'")]
    [InlineData("ok", "code", "9endpoint", "EndpointLabel '9endpoint'")]
    [InlineData("ok", "code", "code", "both 'code'")]
    public void Validate_InvalidNames_NamesPropertyAndValue(string metric, string status, string endpoint, string fragment)
    {
        var convention = new TrafficConvention { RequestCountMetric = metric, StatusLabel = status, EndpointLabel = endpoint };
        var ex = Assert.Throws<ArgumentException>(convention.Validate);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }
}
