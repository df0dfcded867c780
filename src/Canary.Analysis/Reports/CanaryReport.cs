using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Reports;

/// <summary>
/// A report of a rollout or of a single judgement, as data: its outcome, every check with its looks over time and per-endpoint
/// rows, the weight timeline and the human commands. Built once (<see cref="RolloutReportBuilder"/>, <see cref="FromDecisions"/>,
/// <see cref="FromResults"/>) from decisions and check results, never from reason text; each format is a view of it
/// (<see cref="ReportJsonWriter"/>, <see cref="MarkdownReportWriter"/>, <see cref="JUnitReportWriter"/>, <see cref="HtmlReportWriter"/>,
/// all four at once with <see cref="ReportWriter"/>). Labels and reasons are kept as they are: each view escapes them.
/// </summary>
public sealed class CanaryReport
{
    /// <summary>The URI of the JSON Schema <see cref="ReportJsonWriter"/> writes (shipped as <c>docs/schemas/report-v1.json</c>).</summary>
    public const string SchemaUri = "https://canary-analysis/schemas/report-v1.json";

    internal CanaryReport(ReportKind kind, string name, DateTimeOffset generatedAt, ReportStatus status, string reason, IReadOnlyList<ReportCheck> checks)
    {
        Kind = kind;
        Name = name;
        GeneratedAt = generatedAt;
        Status = status;
        Reason = reason;
        Checks = checks;
    }

    /// <summary>Gets the schema the JSON form follows (<see cref="SchemaUri"/>).</summary>
    public string Schema { get; } = SchemaUri;

    /// <summary>Gets what the report is about.</summary>
    public ReportKind Kind { get; }

    /// <summary>Gets the rollout's policy name, or the judgement's name.</summary>
    public string Name { get; }

    /// <summary>Gets when the report was made: the last decision's time, or the judgement's.</summary>
    public DateTimeOffset GeneratedAt { get; }

    /// <summary>
    /// Gets the outcome: for a rollout, promoted → <see cref="ReportStatus.Passed"/>, rolled back → <see cref="ReportStatus.Failed"/>
    /// (<see cref="ReportStatus.Error"/> when measurements could not be taken), paused for a human →
    /// <see cref="ReportStatus.Inconclusive"/>, otherwise <see cref="ReportStatus.Running"/>; for a judgement, any failed check →
    /// Failed, else any inconclusive (or no check) → Inconclusive, else Passed.
    /// </summary>
    public ReportStatus Status { get; }

    /// <summary>Gets the one-line reason: the last decision's, or the deciding check's.</summary>
    public string Reason { get; }

    /// <summary>Gets the last decision's action, null for a judgement.</summary>
    public RolloutAction? Action { get; internal init; }

    /// <summary>Gets the last decision's cause, null for a judgement.</summary>
    public DecisionCause? Cause { get; internal init; }

    /// <summary>Gets when the rollout started, null for a judgement.</summary>
    public DateTimeOffset? StartedAt { get; internal init; }

    /// <summary>Gets the requested canary weight after the last decision, in percent; null for a judgement.</summary>
    public int? Weight { get; internal init; }

    /// <summary>Gets the canary's real share of traffic after the last decision, in percent; null for a judgement.</summary>
    public double? EffectiveWeight { get; internal init; }

    /// <summary>Gets a value indicating whether a human skipped the analysis: a promotion then proves nothing about the release.</summary>
    public bool AnalysisSkipped { get; internal init; }

    /// <summary>Gets every check: a rollout's analysis metrics step by step (background last), or a judgement's results.</summary>
    public IReadOnlyList<ReportCheck> Checks { get; }

    /// <summary>Gets the weight timeline: each change of the canary's weight, oldest first (empty for a judgement).</summary>
    public IReadOnlyList<ReportWeight> Weights { get; internal init; } = [];

    /// <summary>Gets the human commands recorded (empty for a judgement).</summary>
    public IReadOnlyList<ManualOverride> Overrides { get; internal init; } = [];

    /// <summary>A report of a rollout from its decisions, oldest first (each one the rollout handed out, or a subset ending with the latest).</summary>
    /// <param name="decisions">The decisions; at least one.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">No decision.</exception>
    public static CanaryReport FromDecisions(IEnumerable<RolloutDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var builder = new RolloutReportBuilder();
        foreach (var decision in decisions)
        {
            builder.Add(decision);
        }

        return builder.Build();
    }

    /// <summary>A report of a single judgement: check results taken at one time.</summary>
    /// <param name="name">What was judged (e.g. the service or the gate's name).</param>
    /// <param name="at">When.</param>
    /// <param name="results">The check results.</param>
    /// <returns>The report.</returns>
    public static CanaryReport FromResults(string name, DateTimeOffset at, IEnumerable<CheckResult> results)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(results);
        return Judgement(name, at, [.. results.Select(r => ReportCheck.Of(r ?? throw new ArgumentException("A result is null.", nameof(results)), at))]);
    }

    /// <summary>A report of a single judgement from its checks (some may be errors: <see cref="ReportCheck.Error"/>).</summary>
    internal static CanaryReport Judgement(string name, DateTimeOffset at, ReportCheck[] checks)
    {
        // A failure decides; then a check that could not be measured; then the first without a pass.
        var deciding = checks.FirstOrDefault(c => c.Status == ReportStatus.Failed)
            ?? checks.FirstOrDefault(c => c.Status == ReportStatus.Error)
            ?? checks.FirstOrDefault(c => c.Status != ReportStatus.Passed);
        var status = checks.Length == 0 ? ReportStatus.Inconclusive : deciding?.Status ?? ReportStatus.Passed;
        var reason = checks.Length == 0 ? "No check was judged." : (deciding ?? checks[0]).Reason;
        return new CanaryReport(ReportKind.Judgement, name, at, status, reason, checks);
    }
}
