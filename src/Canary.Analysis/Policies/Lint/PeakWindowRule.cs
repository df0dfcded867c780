using static Canary.Analysis.Policies.Lint.LintText;

namespace Canary.Analysis.Policies.Lint;

/// <summary>
/// CNY005 (was CA005), Warning: the analysed time does not contain the whole peak window. With a planned start the schedule
/// is laid out on the clock; without one, one uninterrupted analysis of 24 h plus the peak's length is needed.
/// </summary>
internal sealed class PeakWindowRule() : PolicyLintRule("CNY005")
{
    public override IEnumerable<LintFinding> Check(LintSubject subject)
    {
        var (context, analysed) = (subject.Context, subject.Analysed);
        if (context.PeakStart is not { } peakStart || context.PeakEnd is not { } peakEnd)
        {
            yield break;
        }

        var day = TimeSpan.FromDays(1);
        var length = Modulo(peakEnd.ToTimeSpan() - peakStart.ToTimeSpan(), day);
        var peak = I($"{peakStart:HH\\:mm}–{peakEnd:HH\\:mm}");
        if (context.PlannedStart is { } start)
        {
            var end = analysed.Count == 0 ? TimeSpan.Zero : analysed[^1].End;
            var first = Modulo(peakStart.ToTimeSpan() - start.ToTimeSpan(), day);
            for (var offset = first; offset + length <= end; offset += day)
            {
                if (analysed.Any(s => s.Start <= offset && offset + length <= s.End))
                {
                    yield break;
                }
            }

            var spans = analysed.Count == 0 ? "none" : string.Join(", ", analysed.Select(s => I($"{Clock(start, s.Start)}–{Clock(start, s.End)}")));
            yield return Finding(LintSeverity.Warning,
                I($"Started at {start:HH\\:mm}, the policy's analysed time ({spans}) never contains the whole peak window {peak}: regressions that only show under peak traffic are missed."),
                I($"Start the rollout so that an analysis spans {peak}, or soak (analysis) across a whole day (CanaryPolicies.LongSoak)."));
            yield break;
        }

        var longest = analysed.Count == 0 ? TimeSpan.Zero : analysed.Max(s => s.End - s.Start);
        if (longest < day + length)
        {
            yield return Finding(LintSeverity.Warning,
                I($"Whether the peak window {peak} is analysed depends on the start time: the longest uninterrupted analysis is {Show(longest)}, and only {Show(day + length)} (a day plus the peak) contains it whatever the start."),
                I($"Give PolicyLintContext.PlannedStart to check the actual schedule, or soak for at least {Show(day + length)} without a break."));
        }
    }

    private static TimeSpan Modulo(TimeSpan value, TimeSpan modulus) => TimeSpan.FromTicks(((value.Ticks % modulus.Ticks) + modulus.Ticks) % modulus.Ticks);
}
