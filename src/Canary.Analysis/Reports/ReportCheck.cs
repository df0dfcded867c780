using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Reports;

/// <summary>
/// One check in a report: an analysis metric of a step (with its measurements over time) or a single check result, with its
/// verdict, value against the threshold, reason and per-endpoint rows. Built from the data, never from reason text.
/// </summary>
public sealed class ReportCheck
{
    private ReportCheck(string name, string? step, ReportStatus status, CheckResult? last, string reason, string message, DateTimeOffset? measuredAt, IReadOnlyList<ReportPoint> history)
    {
        Name = name;
        Step = step;
        Status = status;
        Value = history.Count > 0 ? history[^1].Value : double.NaN;
        Threshold = history.Count > 0 ? history[^1].Threshold : double.NaN;
        SuccessRateDropBound = last?.SuccessRateDropBound ?? double.NaN;
        (EvidenceKind, EvidenceValue, EvidenceBoundary) = last is null ? (EvidenceKind.None, double.NaN, double.NaN) : (last.EvidenceKind, last.EvidenceValue, last.EvidenceBoundary);
        Reason = reason;
        Message = message;
        MeasuredAt = measuredAt;
        Endpoints = last is null ? [] : [.. last.Endpoints.Select(e => new ReportEndpoint(e))];
        History = history;
    }

    /// <summary>Gets the check's name (the analysis metric's name in a rollout, the check's own name in a judgement).</summary>
    public string Name { get; }

    /// <summary>Gets the name of the analysis step it belongs to (<c>background</c> for background analysis), null in a judgement.</summary>
    public string? Step { get; }

    /// <summary>Gets how the check came out.</summary>
    public ReportStatus Status { get; }

    /// <summary>Gets the check's value at its last look (NaN when none could be computed).</summary>
    public double Value { get; }

    /// <summary>Gets the threshold (boundary) of its last look, NaN when unknown.</summary>
    public double Threshold { get; }

    /// <summary>Gets, for a check that proves non-inferiority, the bound on the weighted success-rate drop; NaN otherwise.</summary>
    public double SuccessRateDropBound { get; }

    /// <summary>Gets what <see cref="EvidenceValue"/> is (<see cref="CheckResult.EvidenceKind"/>): an e-value, a p-value, or none.</summary>
    public EvidenceKind EvidenceKind { get; }

    /// <summary>
    /// Gets the check's statistical evidence at its last look (a sequential check's combined e-value, a comparison's p-value), to
    /// read against <see cref="EvidenceBoundary"/>; NaN without one. <see cref="Value"/> is the same evidence as a fraction of the
    /// boundary for a sequential check.
    /// </summary>
    public double EvidenceValue { get; }

    /// <summary>Gets the boundary <see cref="EvidenceValue"/> is compared with (1/α for an e-value, α for a p-value), NaN without evidence.</summary>
    public double EvidenceBoundary { get; }

    /// <summary>Gets the last look's one-line reason (empty before any look).</summary>
    public string Reason { get; }

    /// <summary>Gets what the check's phase means (in a rollout: the limits reached, the count of looks; in a judgement: the reason).</summary>
    public string Message { get; }

    /// <summary>Gets when the last look was taken, null before any.</summary>
    public DateTimeOffset? MeasuredAt { get; }

    /// <summary>Gets the last look's per-endpoint rows (empty when the last look's full result is not known).</summary>
    public IReadOnlyList<ReportEndpoint> Endpoints { get; }

    /// <summary>Gets the looks over time, oldest first.</summary>
    public IReadOnlyList<ReportPoint> History { get; }

    /// <summary>A check result judged at <paramref name="at"/>.</summary>
    internal static ReportCheck Of(CheckResult result, DateTimeOffset at) => new(
        result.Name,
        step: null,
        StatusOf(result.Verdict),
        result,
        result.Reason,
        result.Reason,
        at,
        [new ReportPoint(at, Phase(result.Verdict), result.Value, result.Threshold)]);

    /// <summary>A check of a judgement that could not be measured (a provider error): no value, no rows.</summary>
    internal static ReportCheck Error(string name, string message, DateTimeOffset at) =>
        new(name, step: null, ReportStatus.Error, last: null, message, message, at, [new ReportPoint(at, MeasurementPhase.Error, double.NaN, double.NaN)]);

    /// <summary>An analysis metric: its state, every look seen (<paramref name="history"/>, oldest first) and its last look.</summary>
    internal static ReportCheck Of(MetricRunStatus metric, string step, IReadOnlyList<ReportPoint> history, Measurement? last) =>
        // The rows are the last look's: a look that could not be taken (an error) has none, rather than an older look's.
        new(metric.Name, step, StatusOf(metric.Phase), last?.Evidence, last?.Reason ?? string.Empty, metric.Message, last?.FinishedAt, history);

    /// <summary>A look as a point over time, with its threshold (a look read back from a saved state has no full result: it keeps <paramref name="threshold"/>, the previous one's).</summary>
    internal static ReportPoint Point(Measurement look, double threshold) =>
        new(look.FinishedAt, look.Phase, look.Value, look.Evidence?.Threshold ?? threshold);

    private static ReportStatus StatusOf(Verdict verdict) => verdict switch
    {
        Verdict.Pass => ReportStatus.Passed,
        Verdict.Fail => ReportStatus.Failed,
        _ => ReportStatus.Inconclusive,
    };

    private static MeasurementPhase Phase(Verdict verdict) => verdict switch
    {
        Verdict.Pass => MeasurementPhase.Successful,
        Verdict.Fail => MeasurementPhase.Failed,
        _ => MeasurementPhase.Inconclusive,
    };

    private static ReportStatus StatusOf(AnalysisPhase phase) => phase switch
    {
        AnalysisPhase.Successful => ReportStatus.Passed,
        AnalysisPhase.Failed => ReportStatus.Failed,
        AnalysisPhase.Inconclusive => ReportStatus.Inconclusive,
        AnalysisPhase.Error => ReportStatus.Error,
        _ => ReportStatus.Running,
    };
}
