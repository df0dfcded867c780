namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>A step the import will write.</summary>
internal abstract record StepDraft;

/// <summary><c>setWeight: N</c>.</summary>
internal sealed record SetWeightDraft(int Weight) : StepDraft;

/// <summary><c>pause: {}</c> (for a human) or <c>pause: { duration: … }</c>.</summary>
internal sealed record PauseDraft(TimeSpan? Duration) : StepDraft;

/// <summary><c>analysis: { … }</c>: the checks look every interval, <paramref name="Count"/> times.</summary>
internal sealed record AnalysisDraft(string Name, TimeSpan Interval, int Count, IReadOnlyList<string> Checks) : StepDraft
{
    public int FailureLimit { get; init; }

    public int? ConsecutiveErrorLimit { get; init; }

    public TimeSpan? InitialDelay { get; init; }
}
