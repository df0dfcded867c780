using System.Globalization;
using Canary.Analysis.Configuration;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Judge;

/// <summary>The outcome of a Kayenta-style judgement: the verdict, its score, and every check's evidence per scope.</summary>
internal sealed record KayentaJudgement(Verdict Verdict, int Score, string Reason, IReadOnlyList<JudgedCheck> Checks);

/// <summary>
/// Judges the experiment scope against the control scope over [start, end] with every check of the policy's analysis steps:
/// a windowed check (success rate, latency) once, its window being [start, end]; a sequential check (error rate, latency
/// against the baseline) through the interval at the step's look interval (at most 60 looks), as it would have looked
/// live — its evidence is always valid, so looking through the interval keeps its α, and it stops at its first Fail.
/// </summary>
internal static class KayentaJudge
{
    /// <summary>The most looks a sequential check takes through one interval (longer intervals look less often).</summary>
    public const int MaximumLooks = 60;

    /// <summary>Reads and validates Argo's request; returns the scopes or why they cannot be judged.</summary>
    public static (IReadOnlyList<ScopeToJudge> Scopes, int Pass, int Marginal, string? Error) Validate(KayentaRequest? request)
    {
        if (request?.Scopes is not { Count: > 0 } scopes)
        {
            return ([], 0, 0, "scopes: at least one scope is required");
        }

        if (request.Thresholds is not { } thresholds)
        {
            return ([], 0, 0, "thresholds: required ({\"pass\": …, \"marginal\": …})");
        }

        if (KayentaScore.Refuse(thresholds.Pass, thresholds.Marginal) is { } refused)
        {
            return ([], 0, 0, refused);
        }

        var result = new List<ScopeToJudge>();
        foreach (var (name, pair) in scopes)
        {
            if (pair.ControlScope is not { } control || pair.ExperimentScope is not { } experiment)
            {
                return ([], 0, 0, $"scopes.{name}: controlScope and experimentScope are required");
            }

            if (string.IsNullOrEmpty(control.Scope) || string.IsNullOrEmpty(experiment.Scope))
            {
                return ([], 0, 0, $"scopes.{name}: controlScope.scope and experimentScope.scope must name the versions");
            }

            if (Time(experiment.Start) is not { } start || Time(experiment.End) is not { } end || start >= end)
            {
                return ([], 0, 0, $"scopes.{name}.experimentScope: start '{experiment.Start}' and end '{experiment.End}' must be RFC 3339 times, start before end");
            }

            if (Time(control.Start) != start || Time(control.End) != end)
            {
                return ([], 0, 0, $"scopes.{name}: the control's interval [{control.Start}, {control.End}] differs from the experiment's [{experiment.Start}, {experiment.End}]; the judge compares them over the same time");
            }

            result.Add(new ScopeToJudge(name, control.Scope, control.Location, experiment.Scope, experiment.Location, start, end));
        }

        return (result, (int)thresholds.Pass, (int)thresholds.Marginal, null);
    }

    public static async Task<KayentaJudgement> JudgeAsync(PolicyDocument document, ITrafficSource source, IReadOnlyList<ScopeToJudge> scopes, int pass, int marginal, CancellationToken cancellationToken)
    {
        var selectors = ScopeSelectors.Of(document);
        var checks = new List<JudgedCheck>();
        foreach (var scope in scopes)
        {
            var experiment = selectors.Experiment(scope.Experiment, scope.ExperimentLocation);
            var control = selectors.Control(scope.Control, scope.ControlLocation);
            var windowed = PolicyCheck.Of(document.Build(new ScopedTrafficSource(source, selectors, experiment, control, (scope.Start, scope.End))));
            var looking = PolicyCheck.Of(document.Build(new ScopedTrafficSource(source, selectors, experiment, control, window: null)));
            for (var i = 0; i < windowed.Count; i++)
            {
                var (result, looks) = windowed[i].IsSequential
                    ? await LookThroughAsync(looking[i], scope.Start, scope.End, cancellationToken).ConfigureAwait(false)
                    : (await windowed[i].Check.MeasureAsync(scope.End, cancellationToken).ConfigureAwait(false), 1);
                checks.Add(JudgedCheck.Of(scope.Name, windowed[i].Name, result, looks));
            }
        }

        var verdict = PolicyCheck.Combine(checks.Select(c => Enum.Parse<Verdict>(c.Verdict)));
        var score = KayentaScore.Of(verdict, pass, marginal);
        var failing = checks.Where(c => c.Verdict != nameof(Verdict.Pass)).Select(c => $"{c.Scope}/{c.Name}: {c.Verdict} — {c.Reason.TrimEnd('.')}").ToList();
        var reason = verdict == Verdict.Pass
            ? $"every check passed ({string.Join(", ", checks.Select(c => $"{c.Scope}/{c.Name}"))})"
            : string.Join("; ", failing);
        return new KayentaJudgement(verdict, score, string.Create(CultureInfo.InvariantCulture, $"{verdict} (score {score}): {reason}"), checks);
    }

    private static async Task<(CheckResult Result, int Looks)> LookThroughAsync(PolicyCheck check, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var every = TimeSpan.FromTicks(Math.Max(check.Interval.Ticks, (end - start).Ticks / MaximumLooks));
        var looks = 0;
        for (var at = start + check.Interval; at < end; at += every)
        {
            var result = await check.Check.MeasureAsync(at, cancellationToken).ConfigureAwait(false);
            looks++;
            if (result.Verdict == Verdict.Fail)
            {
                return (result, looks);
            }
        }

        return (await check.Check.MeasureAsync(end, cancellationToken).ConfigureAwait(false), looks + 1);
    }

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;
}
