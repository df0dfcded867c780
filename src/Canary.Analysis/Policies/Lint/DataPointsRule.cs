using Canary.Analysis.Statistics;
using static Canary.Analysis.Policies.Lint.LintText;

namespace Canary.Analysis.Policies.Lint;

/// <summary>
/// CNY003 (was CA003), Warning: an analysis step judges less data than the context's minimum data points at the scrape
/// interval (50 points: 12.5 minutes at 15 s). The data a step judges is capped by its checks' described windows.
/// </summary>
internal sealed class DataPointsRule : IPolicyLintRule
{
    public string Id => "CNY003";

    public IEnumerable<LintFinding> Check(LintSubject subject)
    {
        var (policy, context) = (subject.Policy, subject.Context);
        var minimum = SampleSize.MinimumDuration(context.ScrapeInterval, context.MinimumDataPoints);
        for (var i = 0; i < policy.Steps.Count; i++)
        {
            var step = policy.Steps[i];
            if (step.Kind != CanaryStepKind.Analysis)
            {
                continue;
            }

            var judged = LintSubject.JudgedSpan(step);
            if (judged < minimum)
            {
                var points = SampleSize.DataPoints(judged, context.ScrapeInterval);
                yield return new(Id, LintSeverity.Warning,
                    I($"Step {i} ({step}) judges {Show(judged)} of data: {points} data points at {Show(context.ScrapeInterval)} scrapes, fewer than the {context.MinimumDataPoints} a statistical check needs ({Show(minimum)})."),
                    I($"Make the analysis cover at least {Show(minimum)}: raise Count × Interval (and the check's window to match)."),
                    i);
            }
        }
    }
}
