using System.Globalization;
using Canary.Analysis.Hosting;

namespace Canary.Analysis.IntegrationTests.Samples.Host;

/// <summary>Several processes on one state directory: the store's lock and versions lose no update, and two sample hosts share the rollouts, one owner each.</summary>
public sealed class HostSharingTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("canary-host-sharing-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task TwoProcessesSavingOneStateAtOnce_LoseNoUpdate()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var directory = Path.Combine(_root.FullName, "store");

        Directory.CreateDirectory(directory);
        await using var first = ChildProcess.Start("Canary.Analysis.StoreContender", directory, "counter", "300", "first");
        await using var second = ChildProcess.Start("Canary.Analysis.StoreContender", directory, "counter", "300", "second");
        await WaitAsync(() => Task.FromResult(first.Output.Contains("ready", StringComparison.Ordinal) && second.Output.Contains("ready", StringComparison.Ordinal)), timeout.Token);
        await File.WriteAllTextAsync(Path.Combine(directory, "go"), "", timeout.Token);
        Assert.Equal(0, await first.WaitForExitAsync(timeout.Token));
        Assert.Equal(0, await second.WaitForExitAsync(timeout.Token));

        var saved = await new DirectoryRolloutStateStore(directory).LoadAsync("counter", timeout.Token);
        Assert.Equal("count=600", saved!.State.Message); // every read-change-save of both processes counted once
        var conflicts = first.Output.Split(' ', '\n').Concat(second.Output.Split(' ', '\n'))
            .Where(w => w.StartsWith("conflicts=", StringComparison.Ordinal)).Sum(w => int.Parse(w["conflicts=".Length..], CultureInfo.InvariantCulture));
        Assert.True(conflicts > 0, "the two processes never contended: " + first.Output + second.Output); // they did race, and the versions caught it
    }

    [Fact]
    public async Task TwoHostProcessesOnOneStateDirectory_OwnEachRolloutOnce_AndOneTakesOverWhenTheOtherIsKilled()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var policies = Directory.CreateDirectory(Path.Combine(_root.FullName, "policies")).FullName;
        await File.WriteAllTextAsync(Path.Combine(policies, "web.yaml"), HostPolicies.Web(looks: 60), timeout.Token);
        var state = Path.Combine(_root.FullName, "state");
        var start = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string[] Args(string instance) =>
            ["--policies", policies, "--state", state, "--instance", instance, "--lease", "4", "--simulate", start, "--rollout", "r1=web", "--rollout", "r2=web", "--rollout", "r3=web"];

        await using var a = ChildProcess.Start("Canary.Analysis.Host", Args("host-a"));
        await using var b = ChildProcess.Start("Canary.Analysis.Host", Args("host-b"));
        var store = new DirectoryRolloutStateStore(state);
        await WaitAsync(async () => !a.HasExited && !b.HasExited && (await Task.WhenAll(new[] { "r1", "r2", "r3" }.Select(r => store.LoadAsync(r, timeout.Token)))).All(s => s?.State.StepAnalysis?.Metrics[0].History.Count >= 3), timeout.Token);

        // Each rollout has one owner, and no look was taken twice: the looks of a rollout are one interval apart, whoever took them.
        var owners = new[] { "r1", "r2", "r3" }.ToDictionary(r => r, r => Lease(state, r));
        Assert.All(owners.Values, o => Assert.Contains(o, new[] { "host-a", "host-b" }));
        foreach (var rollout in owners.Keys)
        {
            var history = (await store.LoadAsync(rollout, timeout.Token))!.State.StepAnalysis!.Metrics[0].History;
            Assert.All(history.Zip(history.Skip(1)), p => Assert.InRange((p.Second.FinishedAt - p.First.FinishedAt).TotalSeconds, 0.9, 5));
        }

        // Kill the owner of r1; the other host takes it over after the lease (4 s) expires and goes on from its saved state.
        var (killed, survivor) = owners["r1"] == "host-a" ? (a, "host-b") : (b, "host-a");
        var before = (await store.LoadAsync("r1", timeout.Token))!.State;
        await killed.KillAsync();
        await WaitAsync(() => Task.FromResult(new[] { "r1", "r2", "r3" }.All(r => Lease(state, r) == survivor)), timeout.Token);
        await WaitAsync(async () => (await store.LoadAsync("r1", timeout.Token))!.State.StepAnalysis?.Metrics[0].History.Count > before.StepAnalysis!.Metrics[0].History.Count + 1, timeout.Token);
        var after = (await store.LoadAsync("r1", timeout.Token))!.State;
        Assert.Equal((before.StartedAt, before.StepIndex), (after.StartedAt, after.StepIndex));
        Assert.True(before.StepAnalysis!.Metrics[0].History.SequenceEqual(after.StepAnalysis!.Metrics[0].History.Take(before.StepAnalysis.Metrics[0].History.Count)));
    }

    private static string? Lease(string state, string rollout)
    {
        try
        {
            using var lease = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(state, $".{rollout}.lease")));
            return lease.RootElement.GetProperty("owner").GetString();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, cancellationToken);
        }
    }
}
