using System.Text;
using Canary.Analysis.Policies;
using Canary.Analysis.Tests.TestSupport;
using static Canary.Analysis.Tests.Policies.SavedRolloutStates;

namespace Canary.Analysis.Tests.Policies;

/// <summary>
/// Corrupted saved states are refused or harmless: every single-character mutation of states saved at telling points of
/// real rollouts, then a seeded fuzz run of <see cref="RolloutState.FromJson"/>; and legitimate states always resume.
/// </summary>
public sealed class RolloutStateCorruptionTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int TicksAfterResume = 4;

    // Significant characters: digits, JSON structure, the letters of true/false/null and enum names, date separators.
    private const string Replacements = "0123456789\"{}[],:-+.tfnaeluPRSTZ \\";

    // Free-text fields (messages, reasons): their characters are mutated too; only there may a mutation resume harmlessly.
    private static readonly HashSet<string> TextFields = ["message", "reason", "by", "lastReason", "terminationReason"];

    /// <summary>What resuming a state and ticking a few times did.</summary>
    private sealed record Outcome(bool WasPromoted, int? PromotedAtTick, int Measurements, string Trace);

    [Fact]
    public async Task EverySingleCharacterMutation_IsRefusedOrHarmless()
    {
        int mutations = 0, refused = 0, harmless = 0, outsideText = 0, harmlessOutsideText = 0;
        foreach (var saved in await CaptureAsync())
        {
            var original = await RunAsync(saved, saved.Json) ?? throw new InvalidOperationException($"{saved.Name}: the real state was refused.");
            var text = TextPositions(saved.Json);
            foreach (var (mutated, position) in Mutations(saved.Json))
            {
                mutations++;
                outsideText += text[position] ? 0 : 1;
                var outcome = await RunAsync(saved, mutated);
                if (outcome is null)
                {
                    refused++;
                    continue;
                }

                harmless++;
                harmlessOutsideText += text[position] ? 0 : 1;
                if (original.WasPromoted || outcome.PromotedAtTick is null)
                {
                    continue;
                }

                // A promotion the real state would not reach in the same ticks, or one on fewer measurements, is a failure.
                Assert.True(
                    original.PromotedAtTick is not null && outcome.Measurements >= original.Measurements,
                    $"{saved.Name}: a mutated state promoted (tick {outcome.PromotedAtTick}, {outcome.Measurements} measurement(s)); the real one: {original.Trace}\nmutated: {mutated}\ntrace: {outcome.Trace}");
            }
        }

        output.WriteLine($"{mutations} mutations: {refused} refused, {harmless} resumed harmlessly ({harmlessOutsideText} of the {outsideText} outside free text)");
        Assert.True(mutations > 13 * 10_000, $"{mutations} mutations");
        Assert.True(refused > mutations / 2, $"{refused} of {mutations} refused");
        Assert.True(harmless > 0, "some mutations (free text) must resume");
    }

    [Fact]
    public async Task Fuzz_FromJson_ThrowsOnlyFormatException_AndResumeOnlyArgumentException()
    {
        var saved = await CaptureAsync();
        var random = new Random(31_337);
        string[] tokens = ["null", "true", "false", "0", "-1", "1e9", "2147483648", "1.5", "\"NaN\"", "\"\\uD800\"", "\"\"", "{}", "[]", ",", ":", "\"status\":\"Promoted\",", "\"version\":1,", "\"stepIndex\":7,", "\"x\":0,", "9999-12-31T23:59:59+00:00", "\u0000", "\uFFFF"];
        var policies = new Dictionary<string, CanaryPolicy>();
        var parsed = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var baseState = saved[random.Next(saved.Count)];
            var text = new StringBuilder(baseState.Json);
            var edits = 1 + random.Next(4);
            for (var e = 0; e < edits; e++)
            {
                var at = random.Next(text.Length + 1);
                switch (random.Next(5))
                {
                    case 0 when at < text.Length:
                        text.Remove(at, Math.Min(1 + random.Next(8), text.Length - at));
                        break;
                    case 1:
                        text.Insert(at, tokens[random.Next(tokens.Length)]);
                        break;
                    case 2 when at < text.Length:
                        text[at] = (char)random.Next(32, 127);
                        break;
                    case 3 when at < text.Length:
                        text.Insert(at, text.ToString(at, Math.Min(1 + random.Next(40), text.Length - at)));
                        break;
                    default:
                        text.Length = Math.Min(text.Length, at);
                        break;
                }
            }

            RolloutState state;
            try
            {
                state = RolloutState.FromJson(text.ToString());
            }
            catch (FormatException)
            {
                continue;
            }

            parsed++;
            var policy = policies.TryGetValue(baseState.Name, out var p) ? p : policies[baseState.Name] = baseState.Policy();
            try
            {
                CanaryRollout.Resume(policy, state);
            }
            catch (ArgumentException)
            {
            }
        }

        Assert.True(parsed > 0, "some fuzzed states (edits in free text) parse");
    }

    [Theory]
    [InlineData("P", "P", "P", false, 0)]
    [InlineData("PF", "P", "P", false, 0)]
    [InlineData("PI", "P", "P", false, 0)]
    [InlineData("PEEPP", "I", "P", false, 0)]
    [InlineData("P", "P", "PPF", false, 0)]
    [InlineData("P", "F", "I", false, 0)]
    [InlineData("P", "P", "P", true, 0)]
    [InlineData("P", "P", "P", false, 1)]
    [InlineData("PEEPP", "P", "PPF", false, 2)]
    [InlineData("P", "F", "P", true, 3)]
    public async Task RestartingAfterEveryTickAndCommand_DecidesAsWithoutRestarts(string canary, string soak, string background, bool skip, int jitterSeed)
    {
        // A real clock: with a seed, ticks come up to 5 s early or late with sub-millisecond parts, in another offset.
        var jitter = jitterSeed == 0 ? null : new Random(jitterSeed);
        DateTimeOffset At(DateTimeOffset t) => jitter is null
            ? t
            : (t + TimeSpan.FromTicks((long)((jitter.NextDouble() - 0.5) * 10 * TimeSpan.TicksPerSecond))).ToOffset(TimeSpan.FromHours(2));

        var steady = new CanaryRollout(Policy(canary, soak, background), Start);
        var restartedPolicy = Policy(canary, soak, background);
        var restarted = new CanaryRollout(restartedPolicy, Start);
        var retried = false;
        for (var grid = Start; grid < Start + TimeSpan.FromHours(2); grid += Minute)
        {
            var t = At(grid);
            restarted = CanaryRollout.Resume(restartedPolicy, RolloutState.FromJson(restarted.State.ToJson()));
            var expected = await steady.TickAsync(t);
            var actual = await restarted.TickAsync(t);
            Assert.Equal((expected.Action, expected.Weight, expected.Reason), (actual.Action, actual.Weight, actual.Reason));
            if (expected.Action == RolloutAction.Promote || (expected.Action == RolloutAction.Rollback && retried))
            {
                return;
            }

            // A human answers pauses, retries the first rollback, and (in the skip case) skips the first analysis.
            ManualAction? command = expected.Action switch
            {
                RolloutAction.Pause => ManualAction.Resume,
                RolloutAction.Rollback => ManualAction.Retry,
                RolloutAction.Advance when skip && steady.State.StepIndex == 1 && steady.State.Overrides.Count == 0 => ManualAction.SkipAnalysis,
                _ => null,
            };
            if (command is { } c)
            {
                retried |= c == ManualAction.Retry;
                restarted = CanaryRollout.Resume(restartedPolicy, RolloutState.FromJson(restarted.State.ToJson()));
                var reason = $"{c} at {t:HH:mm}";
                Assert.Equal(steady.Apply(c, "sre", reason, t).Reason, restarted.Apply(c, "sre", reason, t).Reason);
            }
        }

        Assert.Fail($"The rollout neither promoted nor rolled back: {steady.State.Message}");
    }

    /// <summary>Resumes the (possibly corrupted) state with a fresh policy and ticks; null when the state is refused.</summary>
    private static async Task<Outcome?> RunAsync(SavedRolloutState saved, string json)
    {
        var policy = saved.Policy();
        CanaryRollout rollout;
        try
        {
            rollout = CanaryRollout.Resume(policy, RolloutState.FromJson(json));
        }
        catch (FormatException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }

        var wasPromoted = rollout.State.Status == RolloutStatus.Promoted;
        int? promotedAt = null;
        var trace = new StringBuilder();
        for (var k = 0; k < TicksAfterResume; k++)
        {
            var decision = await rollout.TickAsync(saved.SavedAt + (k * Minute));
            trace.Append(k).Append(": ").Append(decision).Append('\n');
            if (decision.Action == RolloutAction.Promote || rollout.State.Status == RolloutStatus.Promoted)
            {
                promotedAt ??= k;
            }
        }

        var measurements = policy.Steps.SelectMany(s => s.Metrics).Concat(policy.BackgroundAnalysis).Sum(m => ((ScriptedCheck)m.Check).Calls.Count);
        return new Outcome(wasPromoted, promotedAt, measurements, trace.ToString());
    }

    /// <summary>
    /// Every single-character mutation, with the position it changes: at each position a deletion, a duplication and a
    /// replacement by each significant character, without repeats.
    /// </summary>
    private static IEnumerable<(string Json, int Position)> Mutations(string json)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { json };
        for (var position = 0; position < json.Length; position++)
        {
            for (var edit = -2; edit < Replacements.Length; edit++)
            {
                var mutated = edit switch
                {
                    -2 => json.Remove(position, 1),
                    -1 => json.Insert(position, json[position].ToString()),
                    _ => string.Concat(json.AsSpan(0, position), Replacements[edit].ToString(), json.AsSpan(position + 1)),
                };
                if (seen.Add(mutated))
                {
                    yield return (mutated, position);
                }
            }
        }
    }

    /// <summary>Marks the characters inside the string values of free-text fields.</summary>
    private static bool[] TextPositions(string json)
    {
        var marks = new bool[json.Length];
        string? lastName = null;
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] != '"')
            {
                continue;
            }

            var end = i + 1;
            while (json[end] != '"')
            {
                end += json[end] == '\\' ? 2 : 1;
            }

            var next = end + 1;
            var isName = next < json.Length && json[next] == ':';
            if (isName)
            {
                lastName = json[(i + 1)..end];
            }
            else if (lastName is not null && TextFields.Contains(lastName))
            {
                for (var k = i + 1; k < end; k++)
                {
                    marks[k] = true;
                }
            }

            i = end;
        }

        return marks;
    }
}
