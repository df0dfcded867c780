using System.Globalization;
using Canary.Analysis.Hosting;
using Canary.Analysis.Policies;

// usage: Canary.Analysis.StoreContender DIR ROLLOUT INCREMENTS NAME
// Waits for the file DIR/go, then // adds INCREMENTS to a counter kept in the rollout's saved state (its message, "count=N"), each by read, increment, save
// naming the version read; a conflict means another writer saved in between: read again and retry. Prints
// "NAME increments=… conflicts=…". With two processes at once, the final count is the sum of their increments exactly
// when no save was ever lost.
if (args is not [var directory, var rollout, var incrementsText, var name] || !int.TryParse(incrementsText, CultureInfo.InvariantCulture, out var increments))
{
    Console.Error.WriteLine("usage: Canary.Analysis.StoreContender DIR ROLLOUT INCREMENTS NAME");
    return 2;
}

var store = new DirectoryRolloutStateStore(directory);
var policy = new CanaryPolicy("counter", [CanaryStep.SetWeight(5)]);
var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
// Both processes start together: each says it is ready, and the test then creates DIR/go.
Console.WriteLine("ready");
while (!File.Exists(Path.Combine(directory, "go")))
{
    await Task.Delay(TimeSpan.FromMilliseconds(2));
}

var conflicts = 0;
for (var done = 0; done < increments;)
{
    var saved = await store.LoadAsync(rollout);
    var count = saved is null ? 0 : int.Parse(saved.State.Message["count=".Length..], CultureInfo.InvariantCulture);
    var state = RolloutState.Start(policy, start) with { Message = string.Create(CultureInfo.InvariantCulture, $"count={count + 1}") };
    try
    {
        await store.SaveAsync(rollout, state, saved?.Version);
        done++;
    }
    catch (RolloutStateConflictException)
    {
        conflicts++;
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} increments={increments} conflicts={conflicts}"));
return 0;
