using System.Text.Json;

namespace Canary.Analysis.Analysis;

/// <summary>
/// A check whose verdicts depend on evidence it keeps across looks (a sequential test's e-values, a cumulative count):
/// implement this too, and the evidence is saved with the run's state and handed back when a rollout resumes, so a
/// restarted controller continues the same test instead of starting a new one.
/// </summary>
/// <remarks>
/// <para>After every measurement of a metric the run calls <see cref="SaveEvidence"/> and keeps the value in
/// <see cref="MetricRunStatus.CheckEvidence"/> (saved by <see cref="Policies.RolloutState.ToJson"/>). When a run is
/// restored (<see cref="AnalysisRun.Restore"/>, <see cref="Policies.CanaryRollout.Resume"/>), every metric with saved
/// evidence calls <see cref="RestoreEvidence"/> on its check.</para>
/// <para>Restoring validates: a check throws <see cref="FormatException"/> or <see cref="ArgumentException"/> for evidence it
/// could not have accumulated (wrong shape, negative counts, a version it does not read), and the whole state is then
/// refused — never obeyed. Saved evidence for a check that does not implement this interface is refused too. A metric
/// with no saved evidence (not yet measured, or a state saved before format version 2) leaves its check as it is.</para>
/// </remarks>
public interface IResumableCheck : IAnalysisCheck
{
    /// <summary>Returns the evidence accumulated so far, as a value the check can read back from its JSON.</summary>
    /// <returns>
    /// The evidence: <see cref="CheckEvidence.Of{T}"/> over an immutable value (cheap: it is captured after every measurement and
    /// written as JSON only when the state is saved), or <see cref="CheckEvidence.FromJson"/>.
    /// </returns>
    CheckEvidence SaveEvidence();

    /// <summary>Replaces the check's evidence with <paramref name="evidence"/>, saved earlier by <see cref="SaveEvidence"/>.</summary>
    /// <param name="evidence">The saved evidence.</param>
    /// <exception cref="FormatException">The evidence is not a value this check writes.</exception>
    /// <exception cref="ArgumentException">The evidence is well formed but not something this check could have accumulated.</exception>
    void RestoreEvidence(JsonElement evidence);
}
