using System.Diagnostics;
using Canary.Analysis.Simulation;
using Xunit.Abstractions;

namespace PolicyTests;

/// <summary>
/// "Does our policy roll back a broken release fast, and leave a good one alone?" — answered in milliseconds by
/// running the real policy, checks and analysis runs against simulated traffic on a virtual clock.
/// Each test runs a small Monte Carlo batch (20 seeds) and asserts a bound with some margin, so it stays green
/// across seeds and still fails if someone weakens the policy.
/// </summary>
public sealed class RolloutSimulationTests(ITestOutputHelper output)
{
    private const int Seed = 20260302;
    private const int Runs = 20;
    private static readonly TimeSpan FailFastStep = TimeSpan.FromMinutes(13);

    [Fact]
    public void PayErrorRegression_IsRolledBack_WithinTheFailFastStep()
    {
        var watch = Stopwatch.StartNew();

        // The canary fails 50 % of /pay from the first minute (the baseline keeps 0.5 %).
        var result = MonteCarlo.Run(Runs, Seed, seed => CheckoutPolicy.Simulate(seed, FailFastStep, SimulatedFault.Errors(0.5, "/pay")));
        output.WriteLine($"/pay at 50 % errors: {result}; {watch.ElapsedMilliseconds} ms");

        // Every run rolls back, and the slowest rollback still happens inside the 13-minute fail-fast step.
        Assert.Equal(1.0, result.DetectionRate);
        Assert.True(result.TimeToFailurePercentile(1.0) <= FailFastStep, result.ToString());
    }

    [Fact]
    public void PayErrorRegression_TheReasonNamesTheEndpoint()
    {
        // One seed, looked at closely: the rollback reason is what the on-call engineer reads first.
        var outcome = CheckoutPolicy.Simulate(Seed, FailFastStep, SimulatedFault.Errors(0.5, "/pay"));
        output.WriteLine(outcome.ToString());
        Assert.Equal(SimulationOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("/pay", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void HealthyRelease_IsNotRolledBack_InTheFirstStep()
    {
        var watch = Stopwatch.StartNew();

        // No fault: the canary behaves like the baseline. Run through the fail-fast step and one minute into the soak.
        var result = MonteCarlo.Run(Runs, Seed, seed => CheckoutPolicy.Simulate(seed, FailFastStep + TimeSpan.FromMinutes(1)));
        output.WriteLine($"healthy: {result}; {watch.ElapsedMilliseconds} ms");

        // The sequential check keeps false rollbacks at or below α = 5 % whatever the number of looks;
        // with 20 runs we allow up to 3 (15 %) so a single unlucky seed does not make the test flaky.
        Assert.True(result.Counts[SimulationOutcomeKind.Failed] <= 3, result.ToString());

        // And the healthy canary is not stuck waiting for a human: every run is still going (it moved on to the soak).
        Assert.Equal(0, result.Counts[SimulationOutcomeKind.Inconclusive]);
    }
}
