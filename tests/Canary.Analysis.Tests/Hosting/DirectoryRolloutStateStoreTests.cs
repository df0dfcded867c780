using Canary.Analysis.Hosting;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Tests.Hosting;

public sealed class DirectoryRolloutStateStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);
    private static readonly CanaryPolicy Policy = new("p", [CanaryStep.SetWeight(5), CanaryStep.Pause(TimeSpan.FromMinutes(10)), CanaryStep.SetWeight(20)]);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("canary-store-");

    public void Dispose() => _directory.Delete(recursive: true);

    private DirectoryRolloutStateStore Store() => new(_directory.FullName);

    /// <summary>A state of a rollout started <paramref name="minutes"/> after <see cref="Start"/>: a different state for every value.</summary>
    private static async Task<RolloutState> StateAfter(int minutes)
    {
        var started = Start + TimeSpan.FromMinutes(minutes);
        var rollout = new CanaryRollout(Policy, started);
        await rollout.TickUntilSettledAsync(started);
        return rollout.State;
    }

    [Fact]
    public async Task ASavedState_LoadsEqual_WithTheVersionTheSaveReturned()
    {
        var state = await StateAfter(1);

        var saved = await Store().SaveAsync("shop.checkout", state, expectedVersion: null);
        var loaded = await Store().LoadAsync("shop.checkout");

        Assert.NotNull(loaded);
        Assert.Equal(state, loaded.State);
        Assert.Equal(saved.Version, loaded.Version);
        Assert.Matches("^[0-9a-f]{32}$", saved.Version);
        Assert.Null(await Store().LoadAsync("shop.other"));
        Assert.Equal(["shop.checkout"], await Store().ListAsync());
    }

    [Fact]
    public async Task ASaveNamingAStaleVersion_IsRefused_AndWritesNothing()
    {
        var store = Store();
        var first = await store.SaveAsync("r", await StateAfter(1), null);
        var second = await store.SaveAsync("r", await StateAfter(5), first.Version);

        var third = await StateAfter(11);
        var conflict = await Assert.ThrowsAsync<RolloutStateConflictException>(() => store.SaveAsync("r", third, first.Version));
        Assert.Equal(("r", first.Version, second.Version), (conflict.Rollout, conflict.ExpectedVersion, conflict.ActualVersion));

        var created = await Assert.ThrowsAsync<RolloutStateConflictException>(() => store.SaveAsync("r", third, expectedVersion: null));
        Assert.Equal(second.Version, created.ActualVersion);

        Assert.Equal(second.State, (await store.LoadAsync("r"))!.State);
        Assert.Equal(["r.json"], _directory.GetFiles("*", SearchOption.TopDirectoryOnly).Select(f => f.Name).Where(n => n != ".lock"));
    }

    [Fact]
    public async Task WritersRacingOnOneVersion_ExactlyOneWinsEachRound()
    {
        var version = (await Store().SaveAsync("race", await StateAfter(0), null)).Version;
        for (var round = 0; round < 10; round++)
        {
            // Eight states never saved before (a writer saving what is already saved would not change the version).
            var states = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => StateAfter((round * 8) + i)));
            var expected = version;
            var outcomes = await Task.WhenAll(states.Select(state => Task.Run(async () =>
            {
                try
                {
                    return (await Store().SaveAsync("race", state, expected)).Version;
                }
                catch (RolloutStateConflictException)
                {
                    return null;
                }
            })));

            version = Assert.Single(outcomes, v => v is not null)!;
            Assert.Equal(version, (await Store().LoadAsync("race"))!.Version);
        }
    }

    [Fact]
    public async Task AReader_NeverSeesHalfAState_WhileAWriterReplacesIt()
    {
        var states = new[] { await StateAfter(1), await StateAfter(11) };
        var store = Store();
        var version = (await store.SaveAsync("busy", states[0], null)).Version;
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                var loaded = await Store().LoadAsync("busy");
                Assert.Contains(loaded!.State, states);
                reads++;
            }

            return reads;
        });

        for (var i = 1; i <= 200; i++)
        {
            version = (await store.SaveAsync("busy", states[i % 2], version)).Version;
        }

        await stop.CancelAsync();
        Assert.True(await reader > 0);
    }

    [Fact]
    public async Task AfterARestart_TheRolloutResumesFromTheSavedState()
    {
        var rollout = new CanaryRollout(Policy, Start);
        await rollout.TickUntilSettledAsync(Start);
        await Store().SaveAsync("resume", rollout.State, null);

        // A new process: new store, new policy objects, the saved state.
        var loaded = (await Store().LoadAsync("resume"))!;
        var resumed = CanaryRollout.Resume(Policy, loaded.State);
        var decision = await resumed.TickUntilSettledAsync(Start + TimeSpan.FromMinutes(10));

        Assert.Equal(RolloutAction.Promote, decision.Action);
        Assert.Equal(5, loaded.State.Weight);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("white space")]
    public async Task AnIdThatCannotBeAFileName_IsRefused_NamingIt(string id)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store().LoadAsync(id));
        Assert.Contains($"'{id}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACorruptFile_IsAnErrorNamingIt_NeverAState()
    {
        var path = Path.Combine(_directory.FullName, "broken.json");
        await File.WriteAllTextAsync(path, "{\"version\": 2, \"status\": \"Promoted\"");

        var error = await Assert.ThrowsAsync<FormatException>(() => Store().LoadAsync("broken"));
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }
}
