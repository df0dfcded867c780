using Canary.Analysis.Metrics;
using Microsoft.Extensions.Logging;

namespace Canary.Analysis.Analysis.Internal;

/// <summary>
/// What an <see cref="AnalysisRun"/> logs (<see cref="AnalysisRun.Logger"/>; event ids 1200–1299, beside the rollout events'
/// 1000–1099 and the rollout's own 1100–1199): the deciding numbers as structured state, named as the rollout events' log lines
/// name them. No secret reaches them: a measurement that could not be taken is logged by its error kind, never its message.
/// </summary>
internal static partial class AnalysisRunLog
{
    [LoggerMessage(EventId = 1200, EventName = "AnalysisMeasured", Level = LogLevel.Debug,
        Message = "Analysis {Metric}: measurement {MeasurementPhase}, value {Value} against threshold {Threshold}, evidence {Evidence} against boundary {EvidenceBoundary}")]
    public static partial void Measured(ILogger logger, string metric, MeasurementPhase measurementPhase, double value, double threshold, double evidence, double evidenceBoundary);

    [LoggerMessage(EventId = 1201, EventName = "AnalysisMeasurementError", Level = LogLevel.Warning,
        Message = "Analysis {Metric}: measurement could not be taken ({ErrorKind}), {ConsecutiveErrors} error(s) in a row")]
    public static partial void MeasurementError(ILogger logger, string metric, MetricQueryErrorKind? errorKind, int consecutiveErrors);

    [LoggerMessage(EventId = 1202, EventName = "AnalysisCompleted",
        Message = "Analysis {Phase}: deciding metric {Check} ({CheckPhase}) value {Value} against threshold {Threshold}, evidence {Evidence} against boundary {EvidenceBoundary}; endpoint {Endpoint}: {EndpointValue} against limit {EndpointLimit} and baseline {EndpointBaselineValue} (n={EndpointRequests}), evidence {EndpointEvidence} against boundary {EndpointEvidenceBoundary}")]
    public static partial void Completed(
        ILogger logger, LogLevel level, AnalysisPhase phase, string check, AnalysisPhase checkPhase, double value, double threshold, double evidence, double evidenceBoundary,
        string? endpoint, double? endpointValue, double? endpointLimit, double? endpointBaselineValue, double? endpointRequests, double? endpointEvidence, double? endpointEvidenceBoundary);
}
