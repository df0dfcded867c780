using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Demo;

/// <summary>
/// Wraps a check and remembers its first and latest look, so the demo can print every look as it happens and end with
/// the deciding look's evidence — a decision that completes a step (advance, promote) no longer carries that step's run.
/// </summary>
internal sealed class ObservedCheck(IAnalysisCheck inner, TimeSpan window) : IAnalysisCheck
{
    /// <summary>Gets the window the wrapped check reads: trailing for a success-rate check, the first look's for a sequential one.</summary>
    public TimeSpan Window { get; } = window;

    /// <summary>Gets when the first look was taken (a sequential check's evidence runs from one window before it).</summary>
    public DateTimeOffset? First { get; private set; }

    /// <summary>Gets the latest look: when, and what the check said.</summary>
    public (DateTimeOffset At, CheckResult Result)? Last { get; private set; }

    /// <summary>Gets the wrapped check's description, so the linter sees through the wrapper.</summary>
    public CheckDescription Description => inner.Description;

    public async Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var result = await inner.MeasureAsync(now, cancellationToken);
        First ??= now;
        Last = (now, result);
        return result;
    }
}
