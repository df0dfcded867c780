using Canary.Analysis.Analysis;
using Canary.Analysis.Policies.Lint;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Policies;

/// <summary>
/// Checks a <see cref="CanaryPolicy"/> against the lessons teams learned running canaries, and says what to change.
/// </summary>
/// <remarks>
/// <para>Rules (ids are stable; <c>CNY</c> so they are not confused with Microsoft's <c>CA</c> code analyzers — they were
/// <c>CA001</c>–<c>CA010</c> before, in the same order):</para>
/// <list type="table">
/// <item><term>CNY001 Warning</term><description>A canary weight (1–99 %) outside <see cref="PolicyLintContext.MinimumWeight"/>–<see cref="PolicyLintContext.MaximumWeight"/> (5–10 %).</description></item>
/// <item><term>CNY002 Warning</term><description>No fail-fast analysis: the step after the first weight is not an analysis (and background analysis does not start there), or the policy sets no canary weight at all.</description></item>
/// <item><term>CNY003 Warning</term><description>An analysis step judges less data than <see cref="PolicyLintContext.MinimumDataPoints"/> (50) at the scrape interval (<see cref="SampleSize.MinimumDuration"/>: 12.5 minutes at 15 s).</description></item>
/// <item><term>CNY004 Warning</term><description>The analysed time (analysis steps, and steps under background analysis) is shorter than <see cref="PolicyLintContext.MinimumTotalAnalysis"/> (24 h); Error when the policy analyses nothing.</description></item>
/// <item><term>CNY005 Warning</term><description>The analysed time does not contain the whole peak window (needs <see cref="PolicyLintContext.PeakStart"/>/<see cref="PolicyLintContext.PeakEnd"/>; with <see cref="PolicyLintContext.PlannedStart"/> the schedule is laid out on the clock, without it one uninterrupted analysis of 24 h plus the peak's length is needed).</description></item>
/// <item><term>CNY006 Warning</term><description>
/// An analysis step is too short for its test to have power: <see cref="SampleSize.TimeToEvidence"/> for
/// <see cref="PolicyLintContext.BaselineErrorRate"/> → <see cref="PolicyLintContext.ErrorRateToDetect"/> (one-sided, at
/// <see cref="PolicyLintContext.Alpha"/> and <see cref="PolicyLintContext.Power"/>) on the rarest judged endpoint of
/// <see cref="PolicyLintContext.RequestsPerSecond"/>, at the step's (effective) weight, is longer than the data the step
/// judges. Judged endpoints come from the weights of the step's checks that describe themselves
/// (<see cref="IAnalysisCheck.Description"/>) as judging success or error rates (traffic-weighted checks see the total);
/// when none does, every endpoint is judged. Info when no traffic is given; Warning for analysis at 0 %.
/// </description></item>
/// <item><term>CNY007 Error</term><description>A weight the replica count cannot give: <see cref="ReplicaSplit.ForWeight"/>'s effective weight differs from the requested one by more than <see cref="PolicyLintContext.WeightTolerance"/> points (skipped when traffic-routed or without <see cref="PolicyLintContext.Replicas"/>).</description></item>
/// <item><term>CNY008</term><description>
/// Warning when the tooling has no skip path (<see cref="PolicyLintContext.HasSkipPath"/> false). Info when it has one but
/// the policy's timed pauses, which <see cref="ManualAction.SkipAnalysis"/> does not shorten, still hold an urgent fix back.
/// </description></item>
/// <item><term>CNY009 Warning</term><description>
/// A success rate judged as a plain aggregate (a check describing itself as judging success or error rates with
/// <see cref="Evaluation.EndpointWeightingMode.TrafficWeighted"/> weights, or a <see cref="CheckSubject.Query"/> check whose
/// query divides without grouping <c>by (…)</c>) while explicit endpoint weights are described by another check of the
/// policy. Dry-run metrics are exempt.
/// </description></item>
/// <item><term>CNY010 Warning</term><description>
/// A <see cref="CanaryStep.FailFastAnalysis"/> step with no regular analysis step after it: when it only lacks data it
/// pauses for a human instead of advancing, since nothing later must pass before promotion.
/// </description></item>
/// </list>
/// <para>
/// The data a step judges is its planned duration (initial delay + interval × (count − 1), the longest metric), capped
/// by the trailing <see cref="CheckDescription.Window"/> its check describes. Pauses that wait for a human count as zero
/// time. A check that does not describe itself (<see cref="CheckDescription.Opaque"/>) is assumed to judge every endpoint
/// over the whole step.
/// </para>
/// </remarks>
public static class PolicyLinter
{
    private static readonly PolicyLintRule[] Rules =
    [
        new WeightRangeRule(),
        new FailFastRule(),
        new DataPointsRule(),
        new TotalAnalysisRule(),
        new PeakWindowRule(),
        new PowerRule(),
        new ReplicaRule(),
        new SkipPathRule(),
        new PlainAggregateRule(),
        new FailFastWithoutSoakRule(),
    ];

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
        var subject = new LintSubject(policy, context);
        return Rules.SelectMany(rule => rule.Check(subject)).ToList().AsReadOnly();
    }
}
