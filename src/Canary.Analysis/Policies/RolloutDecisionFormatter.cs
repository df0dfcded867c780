using System.Globalization;

namespace Canary.Analysis.Policies;

/// <summary>
/// Turns a <see cref="RolloutDecision"/> into its one-line reason (<see cref="RolloutDecision.Reason"/>): the only place
/// decision text is written. The text is a view; read the decision's properties to act on it, never the text.
/// </summary>
public static class RolloutDecisionFormatter
{
    /// <summary>Formats the one-line reason of a decision; it names a skip of analysis whenever analysis is skipped.</summary>
    /// <param name="decision">The decision.</param>
    /// <returns>The reason.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    public static string Format(RolloutDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var text = Describe(decision);
        return decision.Cause is not (DecisionCause.AnalysisSkipped or DecisionCause.ManualSkipAnalysis) && decision.State.ActiveSkip is { } skip
            ? $"{text} [analysis skipped by {skip.By}]"
            : text;
    }

    /// <summary>The reason without the note on skipped analysis: what the rollout records as <see cref="RolloutState.Message"/>.</summary>
    /// <param name="decision">The decision.</param>
    /// <returns>The text.</returns>
    internal static string Describe(RolloutDecision decision)
    {
        var text = decision.Cause switch
        {
            DecisionCause.RolledBack or DecisionCause.Promoted or DecisionCause.Paused => decision.State.Message,
            DecisionCause.WeightSet => Invariant($"Weight set to {decision.Step?.Weight} %."),
            DecisionCause.PausedUntilResumed => Invariant($"Step {decision.StepIndex + 1}: paused until a human resumes or promotes."),
            DecisionCause.PauseElapsed => $"Paused {decision.Step?.Duration} as planned.",
            DecisionCause.Pausing => $"Step {decision.StepIndex + 1}: pausing, {decision.State.StepStartedAt + decision.Step?.Duration - decision.At} left.",
            DecisionCause.AnalysisRunning => $"{Label(decision)}: {decision.StepAnalysis?.Message}{(decision.NextTickAt is { } next ? $" Next measurement at {next:HH:mm:ss}." : string.Empty)}",
            DecisionCause.AnalysisSuccessful => $"{Label(decision)} successful: {decision.StepAnalysis?.Message}",
            DecisionCause.AnalysisFailed => $"{Label(decision)} failed: {decision.StepAnalysis?.Message}",
            DecisionCause.AnalysisError => $"{Label(decision)} error: {decision.StepAnalysis?.Message}",
            DecisionCause.AnalysisInconclusive => $"{Label(decision)} inconclusive: {decision.StepAnalysis?.Message}",
            DecisionCause.FailFastInconclusive =>
                $"{Label(decision)} inconclusive, no regression seen: {decision.StepAnalysis?.Message} Fail-fast step: advancing; a later analysis must still pass.",
            DecisionCause.AnalysisSkipped => $"Analysis '{decision.Step?.Name}' skipped ({decision.State.ActiveSkip?.By}: {decision.State.ActiveSkip?.Reason}).",
            DecisionCause.BackgroundFailed => $"Background analysis failed: {decision.BackgroundAnalysis?.Message}",
            DecisionCause.BackgroundError => $"Background analysis error: {decision.BackgroundAnalysis?.Message}",
            DecisionCause.BackgroundInconclusive => $"Background analysis inconclusive: {decision.BackgroundAnalysis?.Message}",
            DecisionCause.ManualPromote => $"Promoted by {decision.Command?.By}: {decision.Command?.Reason}",
            DecisionCause.ManualAbort => $"Aborted by {decision.Command?.By}: {decision.Command?.Reason}",
            DecisionCause.ManualSkipAnalysis => $"Analysis skipped by {decision.Command?.By}: {decision.Command?.Reason}",
            DecisionCause.ManualRetry => $"Retried by {decision.Command?.By}: {decision.Command?.Reason}",
            DecisionCause.ManualResume => $"Resumed by {decision.Command?.By}: {decision.Command?.Reason}",
            _ => decision.Cause.ToString(),
        };

        // A step that completes the last one promotes at once (a human's promotion and a settled rollout say so themselves).
        return decision.Action == RolloutAction.Promote && decision.Cause is not (DecisionCause.ManualPromote or DecisionCause.Promoted)
            ? $"{text} Every step completed."
            : text;
    }

    private static string Label(RolloutDecision decision) => $"Analysis '{decision.Step?.Name}' at {decision.StepWeight} %";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
