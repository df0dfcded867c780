using Canary.Analysis.Metrics.Datadog;

namespace Canary.Analysis.Tests.Metrics.Datadog;

public sealed class DatadogOptionsValidatorTests
{
    [Fact]
    public void Validator_SameRulesAsValidate()
    {
        var validator = new DatadogOptionsValidator();

        Assert.True(validator.Validate(null, new DatadogOptions { ApiKey = "k", ApplicationKey = "a" }).Succeeded);
        var failed = validator.Validate(null, new DatadogOptions { ApiKey = "secret-key-value", Site = "datadoghq.com/x" });
        Assert.True(failed.Failed);
        Assert.Contains("DatadogOptions.ApplicationKey is required; it was null.", failed.Failures!);
        Assert.Contains(failed.Failures!, f => f.Contains("DatadogOptions.Site", StringComparison.Ordinal));
        Assert.DoesNotContain("secret-key-value", failed.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_IsOperationCanceled()
    {
        using var http = new Flurl.Http.Testing.HttpTest();
        http.RespondWith("{}");
        using var provider = new DatadogMetricProvider(new DatadogOptions { ApiKey = "k", ApplicationKey = "a" });
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.QueryAsync("avg:x{*}", DateTimeOffset.UnixEpoch.AddDays(1), cts.Token));
    }
}
