using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using static Canary.Analysis.Configuration.Internal.CriteriaSetting<Canary.Analysis.Evaluation.SequentialErrorRateCriteria>;

namespace Canary.Analysis.Configuration.Internal;

/// <summary>The check kinds a document can name, by their kebab-case names, and the fields of each.</summary>
internal static class CheckKinds
{
    public static IReadOnlyDictionary<string, ICheckKind> All { get; } = new ICheckKind[]
    {
        new CheckKind<SuccessRateCriteria>
        {
            Name = "success-rate",
            Windowed = true,
            NeedsBaseline = _ => false,
            NewCriteria = weights => new SuccessRateCriteria { Weights = weights },
            Settings =
            [
                CriteriaSetting<SuccessRateCriteria>.Number("minimumSuccessRate", 0, 1, (c, v) => c.MinimumSuccessRate = v),
                CriteriaSetting<SuccessRateCriteria>.Number("minimumRequestsPerEndpoint", 0, double.PositiveInfinity, (c, v) => c.MinimumRequestsPerEndpoint = v),
                CriteriaSetting<SuccessRateCriteria>.Number("minimumEndpointSuccessRate", 0, 1, (c, v) => c.MinimumEndpointSuccessRate = v),
                CriteriaSetting<SuccessRateCriteria>.Boolean("allowPartialResponses", (c, v) => c.AllowPartialResponses = v),
            ],
            Create = (context, criteria, reading) => new SuccessRateCheck(context.Source, context.Canary, reading.Window, criteria),
        },
        new CheckKind<LatencyCriteria>
        {
            Name = "latency",
            Windowed = true,
            NeedsBaseline = criteria => criteria.MaximumIncrease is not null,
            NewCriteria = weights => new LatencyCriteria { Weights = weights },
            Settings =
            [
                CriteriaSetting<LatencyCriteria>.Number("quantile", 0, 1, (c, v) => c.Quantile = v, exclusiveMinimum: true),
                new("measure", (binder, node) => binder.OneOf(node, ["quantile", "mean"]) is { } measure
                    ? c => c.Measure = measure == "mean" ? LatencyMeasure.Mean : LatencyMeasure.Quantile
                    : null),
                CriteriaSetting<LatencyCriteria>.Duration("maximumLatency", (c, v) => c.MaximumLatency = v),
                CriteriaSetting<LatencyCriteria>.Number("maximumIncrease", 0, double.PositiveInfinity, (c, v) => c.MaximumIncrease = v),
                CriteriaSetting<LatencyCriteria>.Duration("slack", (c, v) => c.Slack = v),
                CriteriaSetting<LatencyCriteria>.Number("minimumRequestsPerEndpoint", 0, double.PositiveInfinity, (c, v) => c.MinimumRequestsPerEndpoint = v),
                CriteriaSetting<LatencyCriteria>.Number("minimumPassingWeight", 0, 1, (c, v) => c.MinimumPassingWeight = v),
                CriteriaSetting<LatencyCriteria>.Boolean("allowPartialResponses", (c, v) => c.AllowPartialResponses = v),
            ],
            Create = (context, criteria, reading) => new LatencyCheck(context.Source, context.Canary, reading.Window, criteria, context.Baseline),
        },
        new CheckKind<SequentialErrorRateCriteria>
        {
            Name = "sequential-error-rate",
            NewCriteria = weights => new SequentialErrorRateCriteria { Weights = weights },
            Settings = SequentialSettings<SequentialErrorRateCriteria>((c, apply) => apply(c)),
            Create = (context, criteria, reading) =>
                new SequentialErrorRateCheck(context.Source, context.Canary, context.Baseline!, context.FirstInterval, criteria) { Counting = reading.Counting },
        },
        new CheckKind<SequentialLatencyCriteria>
        {
            Name = "sequential-latency",
            NewCriteria = weights => new SequentialLatencyCriteria { Test = new SequentialErrorRateCriteria { Weights = weights } },
            Settings =
            [
                CriteriaSetting<SequentialLatencyCriteria>.Duration("latencyBound", (c, v) => c.LatencyBound = v),
                CriteriaSetting<SequentialLatencyCriteria>.Number("baselineQuantile", 0, 1, (c, v) => c.BaselineQuantile = v, exclusiveMinimum: true),
                CriteriaSetting<SequentialLatencyCriteria>.Duration("baselineHistory", (c, v) => c.BaselineHistory = v),
                CriteriaSetting<SequentialLatencyCriteria>.Number("minimumBaselineRequests", 0, double.PositiveInfinity, (c, v) => c.MinimumBaselineRequests = v),
                .. SequentialSettings<SequentialLatencyCriteria>((c, apply) => apply(c.Test)),
            ],
            Create = (context, criteria, reading) =>
                new SequentialLatencyCheck(context.Source, context.Canary, context.Baseline!, context.FirstInterval, criteria) { Counting = reading.Counting },
        },
    }.ToDictionary(kind => kind.Name, StringComparer.Ordinal);

    /// <summary>The settings of the sequential test, on the criteria themselves or on a test inside them.</summary>
    private static CriteriaSetting<T>[] SequentialSettings<T>(Action<T, Action<SequentialErrorRateCriteria>> on)
    {
        CriteriaSetting<T> Wrap(CriteriaSetting<SequentialErrorRateCriteria> setting) =>
            new(setting.Name, (binder, node) => setting.Read(binder, node) is { } apply ? c => on(c, apply) : null);

        return
        [
            Wrap(Number("alpha", 0, 1, (c, v) => c.Alpha = v, exclusiveMinimum: true)),
            Wrap(Number("minimumRateRatio", 1, double.PositiveInfinity, (c, v) => c.MinimumRateRatio = v, exclusiveMinimum: true)),
            Wrap(Number("maximumRateRatio", 1, double.PositiveInfinity, (c, v) => c.MaximumRateRatio = v, exclusiveMinimum: true)),
            Wrap(Number("serviceWideShare", 0, 1, (c, v) => c.ServiceWideShare = v)),
            Wrap(Number("nonInferiorityMargin", 0, 1, (c, v) => c.NonInferiorityMargin = v, exclusiveMinimum: true)),
            Wrap(Number("minimumRequestsPerEndpoint", 0, double.PositiveInfinity, (c, v) => c.MinimumRequestsPerEndpoint = v)),
            Wrap(Boolean("allowPartialResponses", (c, v) => c.AllowPartialResponses = v)),
            Wrap(Number("canaryOnlyMaximumErrorRate", 0, 1, (c, v) => c.CanaryOnlyMaximumErrorRate = v)),
            Wrap(Integer("spendingLooks", 1, (c, v) => c.SpendingLooks = v)),
            Wrap(Number("spendingShare", 0, 1, (c, v) => c.SpendingShare = v)),
            Wrap(Boolean("estimateErrorDispersion", (c, v) => c.EstimateErrorDispersion = v)),
            Wrap(Number("minimumErrorDispersion", 1, double.PositiveInfinity, (c, v) => c.MinimumErrorDispersion = v)),
        ];
    }
}
