using Canary.Analysis.Policies;

namespace Canary.Analysis.IntegrationTests.Samples.Host;

/// <summary>
/// The sample rollout host (<c>samples/Canary.Analysis.Host</c>) as a child process on the real clock, against a seeded simulated
/// service: killed mid-analysis (<c>Process.Kill(entireProcessTree)</c>) and started again on the same state directory, it
/// continues from the saved state — same step, evidence kept — and reaches the decision an uninterrupted run reaches.
/// </summary>
public sealed class HostKillTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("canary-host-kill-");

    public HostKillTests()
    {
        Directory.CreateDirectory(Path.Combine(_root.FullName, "policies"));
        File.WriteAllText(Path.Combine(_root.FullName, "policies", "web.yaml"), HostPolicies.Web(looks: 8));
    }

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task KilledMidAnalysis_AndRestarted_TheHostContinuesFromTheSavedState_ToTheSameDecision()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var simulationStart = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        // An uninterrupted run.
        RolloutState uninterrupted;
        await using (var host = StartHost("uninterrupted", simulationStart))
        {
            uninterrupted = await WaitForStateAsync("uninterrupted", s => s.Status != RolloutStatus.Progressing, host, timeout.Token);
        }

        // A run killed after its third look.
        RolloutState killed;
        await using (var host = StartHost("killed", simulationStart))
        {
            await WaitForStateAsync("killed", s => Looks(s) >= 3, host, timeout.Token);
            await host.KillAsync();
            killed = Load("killed")!; // whole: a state file is replaced by an atomic rename, never written in place
        }

        Assert.Equal((RolloutStatus.Progressing, 1, 5), (killed.Status, killed.StepIndex, killed.Weight));
        Assert.InRange(Looks(killed), 3, 7);
        Assert.NotNull(killed.StepAnalysis!.Metrics.Single(m => m.Name == "error-rate").CheckEvidence); // the sequential test's evidence is in the state

        await using (var host = StartHost("killed", simulationStart))
        {
            var resumed = await WaitForStateAsync("killed", s => s.Status != RolloutStatus.Progressing || Looks(s) > Looks(killed), host, timeout.Token);
            Assert.Equal(RolloutStatus.Progressing, resumed.Status);
            Assert.Equal((killed.StartedAt, killed.StepIndex, killed.StepStartedAt), (resumed.StartedAt, resumed.StepIndex, resumed.StepStartedAt));
            foreach (var (before, after) in killed.StepAnalysis.Metrics.Zip(resumed.StepAnalysis!.Metrics))
            {
                Assert.Equal(before.History, after.History.Take(before.History.Count)); // nothing lost, nothing measured twice
                Assert.Equal(before.History.Count + 1, after.History.Count);
                Assert.Equal(before.CheckEvidence is null, after.CheckEvidence is null);
            }

            var final = await WaitForStateAsync("killed", s => s.Status != RolloutStatus.Progressing, host, timeout.Token);
            Assert.Equal((uninterrupted.Status, uninterrupted.StepIndex, uninterrupted.Weight, uninterrupted.Message), (final.Status, final.StepIndex, final.Weight, final.Message));
            Assert.Equal(killed.StartedAt, final.StartedAt);
            await host.WaitForOutputAsync("resumed at step 1, Progressing", timeout.Token);
            await host.WaitForOutputAsync("Rollout web promoted", timeout.Token); // the rollout's events, logged by the host
        }

        Assert.Equal(RolloutStatus.Promoted, uninterrupted.Status);
    }

    private static int Looks(RolloutState state) => state.StepIndex == 1 ? state.StepAnalysis?.Metrics.Min(m => m.History.Count) ?? 0 : 0;

    private ChildProcess StartHost(string state, string simulationStart) => ChildProcess.Start(
        "Canary.Analysis.Host",
        "--policies", Path.Combine(_root.FullName, "policies"),
        "--state", Path.Combine(_root.FullName, state),
        "--rollout", "shop.web=web",
        "--instance", "host-0", // a stable id (a StatefulSet's pod name): the restarted host takes its own lease back at once
        "--simulate", simulationStart);

    private RolloutState? Load(string state)
    {
        var path = Path.Combine(_root.FullName, state, "shop.web.json");
        return File.Exists(path) ? RolloutState.FromJson(File.ReadAllText(path)) : null;
    }

    private async Task<RolloutState> WaitForStateAsync(string state, Func<RolloutState, bool> condition, ChildProcess host, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Load(state) is { } loaded && condition(loaded))
            {
                return loaded;
            }

            Assert.False(host.HasExited, "The host exited: " + host.Output);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("Timed out; the host wrote: " + host.Output);
            }
        }
    }
}
