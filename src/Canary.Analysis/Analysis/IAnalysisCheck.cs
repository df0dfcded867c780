using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Analysis;

/// <summary>Something an analysis measures: reads evidence at a time and returns a verdict with its numbers.</summary>
/// <remarks>
/// A check returns <see cref="Verdict.Inconclusive"/> for missing or insufficient data and throws for failures to
/// measure (a provider error): the run records the latter as an Error measurement and retries.
/// </remarks>
public interface IAnalysisCheck
{
    /// <summary>Measures at <paramref name="now"/>.</summary>
    /// <param name="now">The evaluation time (the end of the check's window).</param>
    /// <param name="cancellationToken">Cancels the measurement.</param>
    /// <returns>The verdict with its evidence.</returns>
    Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets what the check says about itself to the policy linter (what it judges, its window, its endpoint weights, the
    /// sample it needs, its α if sequential).
    /// </summary>
    /// <value>The default value is <see cref="CheckDescription.Opaque"/>: the linter assumes nothing about the check.</value>
    CheckDescription Description => CheckDescription.Opaque;
}
