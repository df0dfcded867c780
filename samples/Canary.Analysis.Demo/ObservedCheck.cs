using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Demo;

/// <summary>
/// Wraps a check and remembers its latest look, so the demo can print every look as it happens and end with the
/// deciding look's evidence — a decision that completes a step (advance, promote) no longer carries that step's run.
/// </summary>
internal sealed class ObservedCheck(IAnalysisCheck inner, TimeSpan window) : IAnalysisCheck
{
    /// <summary>Gets the window the wrapped check reads (to show the baseline over the same minutes).</summary>
    public TimeSpan Window { get; } = window;

    /// <summary>Gets the latest look: when, and what the check said.</summary>
    public (DateTimeOffset At, CheckResult Result)? Last { get; private set; }

    public async Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var result = await inner.MeasureAsync(now, cancellationToken);
        Last = (now, result);
        return result;
    }
}
