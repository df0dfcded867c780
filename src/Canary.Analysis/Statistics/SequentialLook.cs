namespace Canary.Analysis.Statistics;

/// <summary>
/// Cumulative event counts (errors, say) of the canary and the baseline at one look of a <see cref="SequentialProportionTest"/>:
/// everything counted since the test started, as an <c>increase(…[since start])</c> query returns it.
/// </summary>
/// <param name="CanaryEvents">The canary's events (errors) so far; between 0 and <paramref name="CanaryTrials"/>.</param>
/// <param name="CanaryTrials">The canary's trials (requests) so far.</param>
/// <param name="BaselineEvents">The baseline's events (errors) so far; between 0 and <paramref name="BaselineTrials"/>.</param>
/// <param name="BaselineTrials">The baseline's trials (requests) so far.</param>
public readonly record struct SequentialLook(long CanaryEvents, long CanaryTrials, long BaselineEvents, long BaselineTrials);
