using Canary.Analysis.Policies;
using Canary.Analysis.Simulation;
using Xunit.Abstractions;

namespace PolicyTests;

/// <summary>
/// The linter knows the lessons teams learned the hard way (fail-fast first step, 5–10 % weights, enough data points,
/// enough power at your traffic, ...). Run it in CI on your policy with what you know about your service.
/// </summary>
public sealed class PolicyLintTests(ITestOutputHelper output)
{
    [Fact]
    public void TeamPolicy_HasNoLintErrors()
    {
        var policy = CheckoutPolicy.Create(new SimulatedTrafficSource(CheckoutPolicy.Traffic(), seed: 1));
        var context = new PolicyLintContext
        {
            ScrapeInterval = CheckoutPolicy.ScrapeInterval,
            // Whole-service request rates per endpoint: the linter checks each step has power to see a regression.
            RequestsPerSecond = CheckoutPolicy.Traffic().Endpoints.ToDictionary(e => e.Name, e => e.RequestsPerSecond),
            BaselineErrorRate = 0.005,
            Replicas = 20,
        };

        var findings = PolicyLinter.Lint(policy, context);
        foreach (var finding in findings)
        {
            output.WriteLine(finding.ToString());
        }

        // Warnings are advice (print them, read them); Errors fail the build.
        Assert.DoesNotContain(findings, f => f.Severity == LintSeverity.Error);
    }
}
