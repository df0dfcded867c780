using Canary.Analysis.Statistics;
using static Canary.Analysis.Policies.Lint.LintText;

namespace Canary.Analysis.Policies.Lint;

/// <summary>
/// CNY003 (was CA003), Warning: an analysis step judges less data than the context's minimum data points at the scrape
/// interval (50 points: 12.5 minutes at 15 s). The data a step judges is capped by its checks' described windows.
/// </summary>
internal sealed class DataPointsRule() : PolicyLintRule("CNY003")
{
    public override IEnumerable<LintFinding> Check(LintSubject subject) =>
        from s in subject.Steps(CanaryStepKind.Analysis)
        let judged = LintSubject.JudgedSpan(s.Step)
        where judged < subject.MinimumDuration
        select TooLittle(subject.Context, s.Index, s.Step, judged, subject.MinimumDuration);

    private LintFinding TooLittle(PolicyLintContext context, int i, CanaryStep step, TimeSpan judged, TimeSpan minimum) =>
        Finding(LintSeverity.Warning,
            I($"Step {i} ({step}) judges {Show(judged)} of data: {SampleSize.DataPoints(judged, context.ScrapeInterval)} data points at {Show(context.ScrapeInterval)} scrapes, fewer than the {context.MinimumDataPoints} a statistical check needs ({Show(minimum)})."),
            I($"Make the analysis cover at least {Show(minimum)}: raise Count × Interval (and the check's window to match)."),
            i);
}
