using Canary.Analysis.Configuration;

namespace Canary.Analysis.Tests.Configuration;

/// <summary>Unknown or misspelt fields, wrong types and impossible values are errors naming the file, the path and the value — never ignored.</summary>
public sealed class PolicyDocumentErrorTests
{
    private static PolicyDocumentException Refused(string yaml, string origin = "checkout.yaml") =>
        Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Parse(yaml, origin, PolicyDocumentFormat.Yaml));

    private static string Edit(string from, string to)
    {
        Assert.Contains(from, PolicyDocumentTests.Checkout);
        return PolicyDocumentTests.Checkout.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact]
    public void AMisspeltField_IsAnErrorNamingTheFileThePathTheValueAndTheRightSpelling()
    {
        var error = Assert.Single(Refused(Edit("minimumSuccessRate: 0.95", "minimumSucessRate: 0.95")).Errors);

        Assert.Equal("checkout.yaml", error.Origin);
        Assert.Equal("checks.success-rate.minimumSucessRate", error.Path);
        Assert.Equal(22, error.Line);
        Assert.Equal("0.95", error.Value);
        Assert.Contains("did you mean 'minimumSuccessRate'?", error.Message, StringComparison.Ordinal);
        Assert.Equal("checkout.yaml:22: checks.success-rate.minimumSucessRate = '0.95': is not a field here; did you mean 'minimumSuccessRate'?", error.ToString());
    }

    [Theory]
    [InlineData("alpha: 0.05", "alpha: '0.05'", "checks.error-rate.alpha", "must be a number, written without quotes")]
    [InlineData("alpha: 0.05", "alpha: 1.5", "checks.error-rate.alpha", "must be greater than 0 and at most 1")]
    [InlineData("alpha: 0.05", "alpha: [0.05]", "checks.error-rate.alpha", "must be a number; it is a list")]
    [InlineData("- setWeight: 5", "- setWeight: 120", "steps[0].setWeight", "must be from 0 to 100")]
    [InlineData("- setWeight: 5", "- setWeight: five", "steps[0].setWeight", "must be a whole number")]
    [InlineData("duration: 13m", "duration: 13m30s", "steps[1].analysis.duration", "must be a whole number of intervals (1m)")]
    [InlineData("duration: 13m", "duration: 13 minutes", "steps[1].analysis.duration", "must be a duration such as 30s, 1m, 1h30m or 24h")]
    [InlineData("failFast: true", "failFast: yes", "steps[1].analysis.failFast", "must be true or false")]
    [InlineData("checks: [error-rate, success-rate] }", "checks: [error-rate, succes-rate] }", "steps[1].analysis.checks[1]", "is not a check declared under 'checks' (error-rate, success-rate, latency)")]
    [InlineData("convention: express-prom-bundle", "convention: express-prom-bundel", "source.convention", "did you mean 'express-prom-bundle'?")]
    [InlineData("kind: success-rate", "kind: successrate", "checks.success-rate.kind", "did you mean 'success-rate'?")]
    [InlineData("canary: 'version=\"canary\"'", "canary: 'version=canary'", "canary", "must be a PromQL label selector")]
    [InlineData("apiVersion: canary-analysis/v1", "apiVersion: canary-analysis/v2", "apiVersion", "must be canary-analysis/v1")]
    [InlineData("window: 15m", "window: 0s", "checks.success-rate.window", "must be longer than zero")]
    [InlineData("quantile: 0.99", "quantile: 0", "checks.latency.quantile", "must be greater than 0 and at most 1")]
    [InlineData("/api/pay: 0.4", "/api/pay: -0.4", "weights.endpoints./api/pay", "must be at least 0")]
    public void AWrongTypeOrAnImpossibleValue_IsAnErrorAtItsPath(string from, string to, string path, string message)
    {
        var errors = Refused(Edit(from, to)).Errors;

        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.True(error.Line > 0, "a YAML error has its line");
    }

    [Fact]
    public void EveryErrorIsReported_NotJustTheFirst()
    {
        var yaml = Edit("alpha: 0.05", "alpha: 2").Replace("window: 15m", "windw: 15m", StringComparison.Ordinal).Replace("- setWeight: 10", "- setWeight: 101", StringComparison.Ordinal);

        var exception = Refused(yaml);

        Assert.Equal(["checks.error-rate.alpha", "checks.success-rate.windw", "steps[2].setWeight"], exception.Errors.Select(e => e.Path));
        Assert.Contains("(3 errors)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckComparingWithTheBaseline_NeedsABaselineSelector()
    {
        var error = Assert.Single(Refused(Edit("baseline: 'version=\"stable\"'\n", "")).Errors, e => e.Path == "checks.error-rate");
        Assert.Contains("needs a 'baseline' selector", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SettingsThatDoNotFitTogether_AreRefusedByTheCriteria()
    {
        var error = Assert.Single(Refused(Edit("alpha: 0.05", "alpha: 0.05\n    minimumRateRatio: 3\n    maximumRateRatio: 2")).Errors);
        Assert.Equal("checks.error-rate", error.Path);
        Assert.Contains("MinimumRateRatio < MaximumRateRatio", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredFields_AreNamed()
    {
        var errors = Refused("apiVersion: canary-analysis/v1\nkind: CanaryPolicy\nmetadata: {}\n").Errors;

        Assert.Equal(["canary", "steps", "metadata.name"], errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.StartsWith("is required", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void AnAddressWithCredentials_IsRefusedWithoutRepeatingThem()
    {
        var exception = Refused(Edit("address: http://prometheus:9090", "address: http://admin:s3cret@prometheus:9090"));

        var error = Assert.Single(exception.Errors);
        Assert.Equal("source.prometheus.address", error.Path);
        Assert.Null(error.Value);
        Assert.DoesNotContain("s3cret", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("checks:\n  a: { kind: success-rate }\n  a: { kind: latency }\n", "Duplicate key a")]
    [InlineData("--- {}\n--- {}\n", "several YAML documents")]
    [InlineData("steps: [ {setWeight: 5, pause: {}} ]", "exactly one of setWeight, pause or analysis")]
    [InlineData("a: [b", "is not valid YAML")]
    [InlineData("", "is empty")]
    public void MalformedYaml_IsAnError(string yaml, string message)
    {
        var exception = Refused(yaml, "bad.yaml");
        Assert.Contains(exception.Errors, e => e.Message.Contains(message, StringComparison.Ordinal) && e.Origin == "bad.yaml");
    }

    [Theory]
    [InlineData("{\"apiVersion\": \"canary-analysis/v1\", \"apiVersion\": \"x\"}", "apiVersion", "is given twice")]
    [InlineData("{\"apiVersion\": ", "", "is not valid JSON")]
    [InlineData("{\"apiVersion\": \"canary-analysis/v1\", \"kind\": \"CanaryPolicy\", \"metadata\": {\"name\": \"x\"}, \"canary\": \"a=\\\"b\\\"\", \"steps\": [{\"setWeight\": \"5\"}]}", "steps[0].setWeight", "must be a whole number, written without quotes")]
    public void MalformedJson_IsAnError(string json, string path, string message)
    {
        var exception = Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Parse(json, "bad.json", PolicyDocumentFormat.Json));
        Assert.Contains(exception.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ReadsYamlOrJsonByTheFilesExtension_AndNamesTheFile()
    {
        var directory = Directory.CreateTempSubdirectory();
        try
        {
            var path = Path.Combine(directory.FullName, "checkout.yaml");
            File.WriteAllText(path, PolicyDocumentTests.Checkout);
            Assert.Equal("checkout", PolicyDocument.Load(path).Name);

            File.WriteAllText(path, Edit("alpha: 0.05", "alhpa: 0.05"));
            var error = Assert.Single(Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Load(path)).Errors);
            Assert.Equal(path, error.Origin);

            var json = Path.Combine(directory.FullName, "empty.json");
            File.WriteAllText(json, "[]");
            Assert.Contains("must be a mapping", Assert.Single(Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Load(json)).Errors).Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
