using System.Globalization;
using System.Text.RegularExpressions;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Policies;

/// <summary>
/// Checks a <see cref="CanaryPolicy"/> against the lessons teams learned running canaries, and says what to change.
/// </summary>
/// <remarks>
/// <para>Rules (ids are stable):</para>
/// <list type="table">
/// <item><term>CA001 Warning</term><description>A canary weight (1–99 %) outside <see cref="PolicyLintContext.MinimumWeight"/>–<see cref="PolicyLintContext.MaximumWeight"/> (5–10 %).</description></item>
/// <item><term>CA002 Warning</term><description>No fail-fast analysis: the step after the first weight is not an analysis (and background analysis does not start there), or the policy sets no canary weight at all.</description></item>
/// <item><term>CA003 Warning</term><description>An analysis step judges less data than <see cref="PolicyLintContext.MinimumDataPoints"/> (50) at the scrape interval (<see cref="SampleSize.MinimumDuration"/>: 12.5 minutes at 15 s).</description></item>
/// <item><term>CA004 Warning</term><description>The analysed time (analysis steps, and steps under background analysis) is shorter than <see cref="PolicyLintContext.MinimumTotalAnalysis"/> (24 h); Error when the policy analyses nothing.</description></item>
/// <item><term>CA005 Warning</term><description>The analysed time does not contain the whole peak window (needs <see cref="PolicyLintContext.PeakStart"/>/<see cref="PolicyLintContext.PeakEnd"/>; with <see cref="PolicyLintContext.PlannedStart"/> the schedule is laid out on the clock, without it one uninterrupted analysis of 24 h plus the peak's length is needed).</description></item>
/// <item><term>CA006 Warning</term><description>
/// An analysis step is too short for its test to have power: <see cref="SampleSize.TimeToEvidence"/> for
/// <see cref="PolicyLintContext.BaselineErrorRate"/> → <see cref="PolicyLintContext.ErrorRateToDetect"/> (one-sided, at
/// <see cref="PolicyLintContext.Alpha"/> and <see cref="PolicyLintContext.Power"/>) on the rarest judged endpoint of
/// <see cref="PolicyLintContext.RequestsPerSecond"/>, at the step's (effective) weight, is longer than the data the step
/// judges. Judged endpoints come from the step's <see cref="SuccessRateCheck"/> weights (traffic-weighted checks see the
/// total); other checks are assumed to judge every endpoint. Info when no traffic is given; Warning for analysis at 0 %.
/// </description></item>
/// <item><term>CA007 Error</term><description>A weight the replica count cannot give: <see cref="ReplicaSplit.ForWeight"/>'s effective weight differs from the requested one by more than <see cref="PolicyLintContext.WeightTolerance"/> points (skipped when traffic-routed or without <see cref="PolicyLintContext.Replicas"/>).</description></item>
/// <item><term>CA008</term><description>
/// Warning when the tooling has no skip path (<see cref="PolicyLintContext.HasSkipPath"/> false). Info when it has one but
/// the policy's timed pauses, which <see cref="ManualAction.SkipAnalysis"/> does not shorten, still hold an urgent fix back.
/// </description></item>
/// <item><term>CA009 Warning</term><description>
/// A success rate judged as a plain aggregate (a <see cref="SuccessRateCheck"/> in
/// <see cref="EndpointWeightingMode.TrafficWeighted"/> mode, or a <see cref="QueryCheck"/> whose query divides without
/// grouping <c>by (…)</c>) while explicit endpoint weights are configured elsewhere in the policy. Dry-run metrics are exempt.
/// </description></item>
/// <item><term>CA010 Warning</term><description>
/// A <see cref="CanaryStep.FailFastAnalysis"/> step with no regular analysis step after it: when it only lacks data it
/// pauses for a human instead of advancing, since nothing later must pass before promotion.
/// </description></item>
/// </list>
/// <para>
/// The data a step judges is its planned duration (initial delay + interval × (count − 1), the longest metric), capped
/// by the trailing window of a <see cref="SuccessRateCheck"/> or <see cref="LatencyCheck"/>. Pauses that wait for a human
/// count as zero time.
/// </para>
/// </remarks>
public static partial class PolicyLinter
{
    /// <summary>Lints a policy.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="context">Where the policy runs; null uses the defaults of <see cref="PolicyLintContext"/>.</param>
    /// <returns>The findings, by rule id then step; empty when nothing is wrong.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    /// <exception cref="ArgumentException">The context is invalid.</exception>
    public static IReadOnlyList<LintFinding> Lint(CanaryPolicy policy, PolicyLintContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        context ??= new PolicyLintContext();
        context.Validate();
        var findings = new List<LintFinding>();
        Weights(policy, context, findings);
        FailFast(policy, context, findings);
        DataPoints(policy, context, findings);
        var analysed = AnalysedTime(policy);
        TotalAnalysis(analysed, context, findings);
        PeakWindow(analysed, context, findings);
        Power(policy, context, findings);
        Replicas(policy, context, findings);
        SkipPath(policy, context, findings, analysed);
        Aggregates(policy, findings);
        FailFastWithoutSoak(policy, findings);
        return findings.AsReadOnly();
    }

    // CA001
    private static void Weights(CanaryPolicy policy, PolicyLintContext context, List<LintFinding> findings)
    {
        for (var i = 0; i < policy.Steps.Count; i++)
        {
            var w = policy.Steps[i].Weight;
            if (policy.Steps[i].Kind != CanaryStepKind.SetWeight || w is 0 or 100 || (w >= context.MinimumWeight && w <= context.MaximumWeight))
            {
                continue;
            }

            var why = w < context.MinimumWeight ? "less gives too little data for the analysis" : "more exposes too many users to a bad release";
            findings.Add(new("CA001", LintSeverity.Warning,
                I($"Step {i} sets the canary weight to {w} %, outside {context.MinimumWeight}–{context.MaximumWeight} %: {why}."),
                I($"Use a weight between {context.MinimumWeight} and {context.MaximumWeight} % (SetWeight({Math.Clamp(w, context.MinimumWeight, context.MaximumWeight)})); soak longer instead of ramping higher."),
                i));
        }
    }

    // CA002
    private static void FailFast(CanaryPolicy policy, PolicyLintContext context, List<LintFinding> findings)
    {
        var minimum = Show(SampleSize.MinimumDuration(context.ScrapeInterval, context.MinimumDataPoints));
        var first = FirstCanaryWeight(policy);
        if (first < 0)
        {
            findings.Add(new("CA002", LintSeverity.Warning,
                "The policy sets no canary weight between 1 and 99 %: there is no small, fail-fast step before everyone gets the release.",
                I($"Start with SetWeight({context.MinimumWeight}) followed by an analysis of about {minimum} (CanaryPolicies.FailFastThenSoak)."),
                null));
            return;
        }

        var next = first + 1;
        var analysed = (next < policy.Steps.Count && policy.Steps[next].Kind == CanaryStepKind.Analysis)
            || (policy.BackgroundAnalysis.Count > 0 && policy.BackgroundFromStep <= next);
        if (!analysed)
        {
            var what = next < policy.Steps.Count ? I($"step {next} ({policy.Steps[next]})") : "nothing (the release is promoted)";
            findings.Add(new("CA002", LintSeverity.Warning,
                I($"The first canary weight ({policy.Steps[first].Weight} %, step {first}) is followed by {what}, not by an analysis: a broken release is not caught quickly (not fail-fast)."),
                I($"Put an analysis of about {minimum} ({context.MinimumDataPoints} data points at {Show(context.ScrapeInterval)} scrapes) right after SetWeight({policy.Steps[first].Weight})."),
                next < policy.Steps.Count ? next : first));
        }
    }

    // CA003
    private static void DataPoints(CanaryPolicy policy, PolicyLintContext context, List<LintFinding> findings)
    {
        var minimum = SampleSize.MinimumDuration(context.ScrapeInterval, context.MinimumDataPoints);
        for (var i = 0; i < policy.Steps.Count; i++)
        {
            var step = policy.Steps[i];
            if (step.Kind != CanaryStepKind.Analysis)
            {
                continue;
            }

            var judged = JudgedSpan(step);
            if (judged < minimum)
            {
                var points = SampleSize.DataPoints(judged, context.ScrapeInterval);
                findings.Add(new("CA003", LintSeverity.Warning,
                    I($"Step {i} ({step}) judges {Show(judged)} of data: {points} data points at {Show(context.ScrapeInterval)} scrapes, fewer than the {context.MinimumDataPoints} a statistical check needs ({Show(minimum)})."),
                    I($"Make the analysis cover at least {Show(minimum)}: raise Count × Interval (and the check's window to match)."),
                    i));
            }
        }
    }

    // CA004
    private static void TotalAnalysis(IReadOnlyList<(TimeSpan Start, TimeSpan End)> analysed, PolicyLintContext context, List<LintFinding> findings)
    {
        var total = analysed.Aggregate(TimeSpan.Zero, (sum, s) => sum + (s.End - s.Start));
        if (total == TimeSpan.Zero)
        {
            findings.Add(new("CA004", LintSeverity.Error,
                "The policy analyses nothing (no analysis step with a duration, no background analysis): every release that starts is promoted.",
                "Add a fail-fast analysis after the first weight and soak analyses after it (CanaryPolicies.FailFastThenSoak or LongSoak)."));
        }
        else if (total < context.MinimumTotalAnalysis)
        {
            findings.Add(new("CA004", LintSeverity.Warning,
                I($"The policy analyses {Show(total)} in all, less than {Show(context.MinimumTotalAnalysis)}: short analyses miss what a whole day of traffic, peak hours included, reveals."),
                I($"Soak at {context.MaximumWeight} % until the analysis covers at least {Show(context.MinimumTotalAnalysis)} (CanaryPolicies.LongSoak), or run background analysis across the soak.")));
        }
    }

    // CA005
    private static void PeakWindow(IReadOnlyList<(TimeSpan Start, TimeSpan End)> analysed, PolicyLintContext context, List<LintFinding> findings)
    {
        if (context.PeakStart is not { } peakStart || context.PeakEnd is not { } peakEnd)
        {
            return;
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
                    return;
                }
            }

            var spans = analysed.Count == 0 ? "none" : string.Join(", ", analysed.Select(s => I($"{Clock(start, s.Start)}–{Clock(start, s.End)}")));
            findings.Add(new("CA005", LintSeverity.Warning,
                I($"Started at {start:HH\\:mm}, the policy's analysed time ({spans}) never contains the whole peak window {peak}: regressions that only show under peak traffic are missed."),
                I($"Start the rollout so that an analysis spans {peak}, or soak (analysis) across a whole day (CanaryPolicies.LongSoak).")));
            return;
        }

        var longest = analysed.Count == 0 ? TimeSpan.Zero : analysed.Max(s => s.End - s.Start);
        if (longest < day + length)
        {
            findings.Add(new("CA005", LintSeverity.Warning,
                I($"Whether the peak window {peak} is analysed depends on the start time: the longest uninterrupted analysis is {Show(longest)}, and only {Show(day + length)} (a day plus the peak) contains it whatever the start."),
                I($"Give PolicyLintContext.PlannedStart to check the actual schedule, or soak for at least {Show(day + length)} without a break.")));
        }
    }

    // CA006
    private static void Power(CanaryPolicy policy, PolicyLintContext context, List<LintFinding> findings)
    {
        if (context.RequestsPerSecond.Count == 0)
        {
            findings.Add(new("CA006", LintSeverity.Info,
                "Statistical power not checked: no expected traffic (PolicyLintContext.RequestsPerSecond) was given.",
                "Set PolicyLintContext.RequestsPerSecond to the expected peak requests per second of each endpoint (both versions together)."));
            return;
        }

        var weight = 0;
        for (var i = 0; i < policy.Steps.Count; i++)
        {
            var step = policy.Steps[i];
            if (step.Kind == CanaryStepKind.SetWeight)
            {
                weight = step.Weight;
                continue;
            }

            if (step.Kind != CanaryStepKind.Analysis || weight == 100)
            {
                continue;
            }

            if (weight == 0)
            {
                findings.Add(new("CA006", LintSeverity.Warning,
                    I($"Step {i} ({step}) analyses at 0 % weight: the canary gets no traffic, so there is nothing to judge."),
                    "Set a canary weight (5–10 %) before the analysis.",
                    i));
                continue;
            }

            if (Rarest(step, context) is not { } rarest)
            {
                continue;
            }

            var effective = EffectiveWeight(weight, context);
            var needed = SampleSize.TimeToEvidence(rarest.Rate, effective / 100, 1 - context.BaselineErrorRate, 1 - context.ErrorRateToDetect, context.Alpha, context.Power, Alternative.Less);
            var judged = JudgedSpan(step);
            if (judged >= needed)
            {
                continue;
            }

            var requests = Math.Ceiling(SampleSize.RequestsPerVersion(1 - context.BaselineErrorRate, 1 - context.ErrorRateToDetect, context.Alpha, context.Power, Alternative.Less));
            var weightText = Math.Abs(effective - weight) < 1e-9 ? I($"{weight} %") : I($"{weight} % (really {effective:0.#} %)");
            findings.Add(new("CA006", LintSeverity.Warning,
                I($"Step {i} ({step}) judges {Show(judged)} at {weightText}, but seeing {context.BaselineErrorRate:0.###%} → {context.ErrorRateToDetect:0.###%} errors on {rarest.Endpoint} ({rarest.Rate:0.###} req/s) with power {context.Power:0.##} at α {context.Alpha:0.###} needs {requests} requests per version, which takes {Show(needed)}."),
                I($"Lengthen the step to at least {Show(needed)}, or accept that {rarest.Endpoint} stays Inconclusive here and is judged in a later, longer soak."),
                i));
        }
    }

    // CA007
    private static void Replicas(CanaryPolicy policy, PolicyLintContext context, List<LintFinding> findings)
    {
        if (context.Replicas is not { } replicas || context.TrafficRouted)
        {
            return;
        }

        for (var i = 0; i < policy.Steps.Count; i++)
        {
            var step = policy.Steps[i];
            if (step.Kind != CanaryStepKind.SetWeight || step.Weight is 0 or 100)
            {
                continue;
            }

            var split = ReplicaSplit.ForWeight(replicas, step.Weight, context.MaxSurge);
            if (Math.Abs(split.EffectiveWeight - step.Weight) <= context.WeightTolerance)
            {
                continue;
            }

            var fix = Enumerable.Range(replicas + 1, 1000).FirstOrDefault(n => Math.Abs(ReplicaSplit.ForWeight(n, step.Weight, context.MaxSurge).EffectiveWeight - step.Weight) <= context.WeightTolerance);
            var more = fix > 0 ? I($"Run at least {fix} replicas ({ReplicaSplit.ForWeight(fix, step.Weight, context.MaxSurge)}), or use") : "Use";
            findings.Add(new("CA007", LintSeverity.Error,
                I($"Step {i} sets {step.Weight} %, but {replicas} replicas give {split.Canary} canary and {split.Stable} stable pods: the canary really gets {split.EffectiveWeight:0.#} % of the traffic."),
                I($"{more} a traffic router (service mesh or ingress; PolicyLintContext.TrafficRouted) that sets the weight independently of pod counts."),
                i));
        }
    }

    // CA008
    private static void SkipPath(CanaryPolicy policy, PolicyLintContext context, List<LintFinding> findings, IReadOnlyList<(TimeSpan Start, TimeSpan End)> analysed)
    {
        if (!context.HasSkipPath)
        {
            var total = analysed.Aggregate(TimeSpan.Zero, (sum, s) => sum + (s.End - s.Start));
            findings.Add(new("CA008", LintSeverity.Warning,
                I($"No skip path: the team's tooling cannot skip analysis, so an urgent fix sits through {Show(total)} of analysis ({Show(policy.PlannedDuration)} in all)."),
                "Expose CanaryRollout.Apply(ManualAction.SkipAnalysis or ManualAction.Promote, by, reason) in the team's tooling (CLI, chat-ops, dashboard); the override is recorded in every later decision."));
            return;
        }

        var pauses = policy.Steps.Select((s, i) => (Step: s, Index: i)).Where(p => p.Step.Kind == CanaryStepKind.Pause && p.Step.Duration is not null).ToList();
        if (pauses.Count > 0)
        {
            var wait = pauses.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Step.Duration!.Value);
            findings.Add(new("CA008", LintSeverity.Info,
                I($"Skipping analysis does not shorten timed pauses: an urgent fix still waits {Show(wait)} (steps {string.Join(", ", pauses.Select(p => p.Index))})."),
                "For urgent fixes use ManualAction.Promote, or hold the weight with analysis steps instead of timed pauses.",
                pauses[0].Index));
        }
    }

    // CA009
    private static void Aggregates(CanaryPolicy policy, List<LintFinding> findings)
    {
        var metrics = policy.Steps.SelectMany((s, i) => s.Metrics.Select(m => (Metric: m, Where: I($"step {i} ({s})"), Index: (int?)i)))
            .Concat(policy.BackgroundAnalysis.Select(m => (Metric: m, Where: "background analysis", Index: (int?)null)))
            .ToList();
        var weighted = metrics.FirstOrDefault(m => WeightsOf(m.Metric.Check) is { Mode: EndpointWeightingMode.Explicit } w && w.Any(e => e.Value > 0));
        if (weighted.Metric is null)
        {
            return;
        }

        foreach (var (metric, where, index) in metrics)
        {
            var why = metric.DryRun ? null : metric.Check switch
            {
                SuccessRateCheck { Criteria.Weights.Mode: EndpointWeightingMode.TrafficWeighted } => "EndpointWeights.TrafficWeighted: Σ successes / Σ requests",
                QueryCheck query when query.Query.Contains('/', StringComparison.Ordinal) && !Grouped().IsMatch(query.Query) => $"the query divides without grouping by endpoint: {query.Query}",
                _ => null,
            };
            if (why is not null)
            {
                findings.Add(new("CA009", LintSeverity.Warning,
                    I($"In {where}, metric '{metric.Name}' judges the success rate as a plain aggregate ({why}), while endpoint weights are configured in {weighted.Where} (metric '{weighted.Metric.Name}'): busy endpoints drown rare ones."),
                    "Judge it per endpoint with the same EndpointWeights (a SuccessRateCheck with explicit weights, one query grouped `by (endpoint, code)`), or make it DryRun to keep it for comparison only.",
                    index));
            }
        }
    }

    // CA010
    private static void FailFastWithoutSoak(CanaryPolicy policy, List<LintFinding> findings)
    {
        var lastRegular = -1;
        for (var i = 0; i < policy.Steps.Count; i++)
        {
            if (policy.Steps[i].Kind == CanaryStepKind.Analysis && !policy.Steps[i].FailFast)
            {
                lastRegular = i;
            }
        }

        for (var i = lastRegular + 1; i < policy.Steps.Count; i++)
        {
            if (policy.Steps[i].FailFast)
            {
                findings.Add(new("CA010", LintSeverity.Warning,
                    I($"Step {i} ({policy.Steps[i]}) is fail-fast, but no regular analysis step follows it: when it only lacks data it pauses for a human instead of advancing, because nothing later must pass before promotion."),
                    "Add a soak analysis after it (CanaryStep.Analysis, as CanaryPolicies.FailFastThenSoak does), or make it a regular analysis step.",
                    i));
            }
        }
    }

    /// <summary>The analysed stretches of the planned schedule (offsets from the start), merged and in order.</summary>
    internal static IReadOnlyList<(TimeSpan Start, TimeSpan End)> AnalysedTime(CanaryPolicy policy)
    {
        var spans = new List<(TimeSpan Start, TimeSpan End)>();
        var t = TimeSpan.Zero;
        TimeSpan? background = null;
        for (var i = 0; i < policy.Steps.Count; i++)
        {
            if (i == policy.BackgroundFromStep && policy.BackgroundAnalysis.Count > 0)
            {
                background = t;
            }

            var d = policy.Steps[i].PlannedDuration;
            if (policy.Steps[i].Kind == CanaryStepKind.Analysis && d > TimeSpan.Zero)
            {
                spans.Add((t, t + d));
            }

            t += d;
        }

        if (background is { } from)
        {
            var indefinite = policy.BackgroundAnalysis.Any(m => m.EffectiveCount is null);
            var end = indefinite ? t : Min(t, from + policy.BackgroundAnalysis.Max(Planned));
            if (end > from)
            {
                spans.Add((from, end));
            }
        }

        var merged = new List<(TimeSpan Start, TimeSpan End)>();
        foreach (var span in spans.OrderBy(s => s.Start))
        {
            if (merged.Count > 0 && span.Start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Max(merged[^1].End, span.End));
            }
            else
            {
                merged.Add(span);
            }
        }

        return merged;
    }

    /// <summary>The data an analysis step judges: its longest metric's planned span, capped by the check's window.</summary>
    internal static TimeSpan JudgedSpan(CanaryStep step) => step.Metrics.Count == 0 ? TimeSpan.Zero
        : step.Metrics.Max(m => WindowOf(m.Check) is { } window ? Min(window, Planned(m)) : Planned(m));

    /// <summary>Formats a duration for messages: 12.5 min, 1 h 13 min, 15 s.</summary>
    internal static string Show(TimeSpan value) => value == TimeSpan.MaxValue ? "forever"
        : value >= TimeSpan.FromHours(1) ? (value.Minutes == 0 && value.Seconds == 0 ? I($"{(long)value.TotalHours} h") : I($"{(long)value.TotalHours} h {value.Minutes + (value.Seconds / 60.0):0.#} min"))
        : value >= TimeSpan.FromMinutes(1) ? I($"{value.TotalMinutes:0.#} min")
        : I($"{value.TotalSeconds:0.#} s");

    private static TimeSpan Planned(AnalysisMetric m) =>
        m.InitialDelay + ((m.Interval ?? TimeSpan.Zero) * Math.Max(0, (m.EffectiveCount ?? 1) - 1));

    private static TimeSpan? WindowOf(IAnalysisCheck check) => check switch
    {
        SuccessRateCheck s => s.Window,
        LatencyCheck l => l.Window,
        _ => null,
    };

    private static EndpointWeights? WeightsOf(IAnalysisCheck check) => check switch
    {
        SuccessRateCheck s => s.Criteria.Weights,
        LatencyCheck l => l.Criteria.Weights,
        _ => null,
    };

    private static int FirstCanaryWeight(CanaryPolicy policy)
    {
        for (var i = 0; i < policy.Steps.Count; i++)
        {
            if (policy.Steps[i].Kind == CanaryStepKind.SetWeight && policy.Steps[i].Weight is > 0 and < 100)
            {
                return i;
            }
        }

        return -1;
    }

    private static double EffectiveWeight(int weight, PolicyLintContext context) =>
        context.Replicas is { } replicas && !context.TrafficRouted && replicas > 0
            ? ReplicaSplit.ForWeight(replicas, weight, context.MaxSurge).EffectiveWeight
            : weight;

    /// <summary>The rarest endpoint the step's success-rate checks judge, with its expected rate; unknown checks judge every endpoint.</summary>
    private static (string Endpoint, double Rate)? Rarest(CanaryStep step, PolicyLintContext context)
    {
        var rates = context.RequestsPerSecond;
        var checks = step.Metrics.Select(m => m.Check).OfType<SuccessRateCheck>().ToList();
        var candidates = new List<(string Endpoint, double Rate)>();
        if (checks.Count == 0)
        {
            candidates.AddRange(rates.Select(r => (r.Key, r.Value)));
        }

        foreach (var weights in checks.Select(c => c.Criteria.Weights))
        {
            if (weights.Mode == EndpointWeightingMode.TrafficWeighted)
            {
                candidates.Add(("all endpoints together", rates.Where(r => !(weights.IsListed(r.Key) && weights[r.Key] == 0)).Sum(r => r.Value)));
            }
            else
            {
                candidates.AddRange(rates.Where(r => weights.StaticWeightOf(r.Key) > 0).Select(r => (r.Key, r.Value)));
            }
        }

        return candidates.Count == 0 ? null : candidates.MinBy(c => c.Rate);
    }

    private static string Clock(TimeOnly start, TimeSpan offset) => start.Add(offset).ToString("HH:mm", CultureInfo.InvariantCulture);

    private static TimeSpan Modulo(TimeSpan value, TimeSpan modulus) => TimeSpan.FromTicks(((value.Ticks % modulus.Ticks) + modulus.Ticks) % modulus.Ticks);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\b(by|without)\s*[({]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Grouped();
}
