using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Configuration.Internal;

/// <summary>A policy document, read and validated: everything needed to build the policy, nothing built yet.</summary>
internal sealed record PolicySpec(
    string Name,
    PrometheusSourceSpec? Prometheus,
    TrafficConvention Convention,
    LabelSelector Canary,
    LabelSelector? Baseline,
    WeightsSpec Weights,
    IReadOnlyList<CheckSpec> Checks,
    IReadOnlyList<StepSpec> Steps,
    int? Replicas,
    int? MaxSurge);

/// <summary>A document's <c>source</c>: the Prometheus server, when it names one, and the convention.</summary>
internal sealed record SourceSpec(PrometheusSourceSpec? Prometheus, TrafficConvention Convention)
{
    public static SourceSpec Default { get; } = new(null, TrafficConvention.PrometheusNet);
}

/// <summary>Where a document's metrics come from when it names a Prometheus server.</summary>
internal sealed record PrometheusSourceSpec(Uri Address, TimeSpan? Timeout, string? TenantId, bool? UsePost);

/// <summary>The document's endpoint weights; each check gets a fresh copy.</summary>
internal sealed record WeightsSpec(EndpointWeightingMode Mode, IReadOnlyList<KeyValuePair<string, double>> Endpoints, double Default)
{
    public EndpointWeights Create()
    {
        var weights = new EndpointWeights { Mode = Mode };
        if (Mode == EndpointWeightingMode.Explicit)
        {
            weights.DefaultWeight = Default;
        }

        foreach (var (endpoint, weight) in Endpoints)
        {
            weights[endpoint] = weight;
        }

        return weights;
    }
}

/// <summary>A step: a weight, a pause, or an analysis.</summary>
internal sealed record StepSpec(CanaryStepKind Kind, int Weight, TimeSpan? Duration, AnalysisSpec? Analysis);

/// <summary>An analysis step: every check named looks each interval for the duration.</summary>
internal sealed record AnalysisSpec(
    string Name,
    bool FailFast,
    TimeSpan Interval,
    int Count,
    IReadOnlyList<string> Checks,
    TimeSpan InitialDelay,
    int InconclusiveLimit,
    int FailureLimit,
    int ConsecutiveErrorLimit);
