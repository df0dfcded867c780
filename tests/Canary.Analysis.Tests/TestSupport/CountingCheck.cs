using System.Text.Json;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>
/// A check with evidence across looks (<see cref="IResumableCheck"/>): it passes and counts its looks, saving the count as
/// <c>{"looks":n}</c>; it refuses any other evidence (not an object with a whole, non-negative "looks").
/// </summary>
internal sealed class CountingCheck : IResumableCheck
{
    public int Looks { get; private set; }

    public Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Looks++;
        return Task.FromResult(new CheckResult("counting", Verdict.Pass, Looks, 0, $"look {Looks}", []));
    }

    public CheckEvidence SaveEvidence() => CheckEvidence.FromJson(JsonSerializer.SerializeToElement(new Dictionary<string, int> { ["looks"] = Looks }));

    public void RestoreEvidence(JsonElement evidence)
    {
        if (evidence.ValueKind != JsonValueKind.Object || !evidence.TryGetProperty("looks", out var looks) || looks.ValueKind != JsonValueKind.Number || !looks.TryGetInt32(out var count))
        {
            throw new FormatException($"Counting evidence is {{\"looks\": n}}, not {evidence.GetRawText()}.");
        }

        Looks = count >= 0 ? count : throw new ArgumentException($"A look count is never negative ({count}).", nameof(evidence));
    }
}
