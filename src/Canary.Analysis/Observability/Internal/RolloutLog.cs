using Canary.Analysis.Analysis;
using Canary.Analysis.Metrics;
using Canary.Analysis.Policies;
using Microsoft.Extensions.Logging;

namespace Canary.Analysis.Observability.Internal;

/// <summary>
/// The log lines of rollout events (<see cref="RolloutLogger"/>): stable event ids 1000–1099, the deciding numbers as
/// structured state. No secret reaches them: a provider error is logged by its kind and metric, never by its message
/// (which may quote an address).
/// </summary>
internal static partial class RolloutLog
{
    [LoggerMessage(EventId = 1000, EventName = "RolloutStarted", Level = LogLevel.Information,
        Message = "Rollout {Rollout} started at {StartedAt:O}")]
    public static partial void Started(ILogger logger, string rollout, DateTimeOffset startedAt);

    [LoggerMessage(EventId = 1001, EventName = "RolloutWeightChanged", Level = LogLevel.Information,
        Message = "Rollout {Rollout}: weight {FromWeight} % -> {ToWeight} % (effective {FromEffectiveWeight} % -> {ToEffectiveWeight} %)")]
    public static partial void WeightChanged(ILogger logger, string rollout, int fromWeight, int toWeight, double fromEffectiveWeight, double toEffectiveWeight);

    [LoggerMessage(EventId = 1002, EventName = "RolloutStepCompleted", Level = LogLevel.Information,
        Message = "Rollout {Rollout}: step {Step} ({StepName}) completed ({Cause}), {Checks} check(s)")]
    public static partial void StepCompleted(ILogger logger, string rollout, int step, string? stepName, DecisionCause cause, int checks);

    [LoggerMessage(EventId = 1003, EventName = "RolloutPausedInconclusive", Level = LogLevel.Warning,
        Message = "Rollout {Rollout}: paused, {Check} inconclusive at {Weight} % with {EndpointsShortOfData} endpoint(s) short of data; time still needed {TimeNeededSeconds} s")]
    public static partial void PausedInconclusive(ILogger logger, string rollout, string check, int weight, int endpointsShortOfData, double? timeNeededSeconds);

    [LoggerMessage(EventId = 1004, EventName = "RolloutAnalysisFailed", Level = LogLevel.Error,
        Message = "Rollout {Rollout}: analysis {Phase} on {Check} at {Weight} %: value {Value} against threshold {Threshold}, evidence {Evidence} against boundary {EvidenceBoundary}; endpoint {Endpoint}: {EndpointValue} against limit {EndpointLimit} and baseline {EndpointBaselineValue} (n={EndpointRequests}), evidence {EndpointEvidence} against boundary {EndpointEvidenceBoundary}")]
    public static partial void AnalysisFailed(
        ILogger logger, string rollout, AnalysisPhase phase, string check, int weight, double value, double threshold, double evidence, double evidenceBoundary,
        string? endpoint, double? endpointValue, double? endpointLimit, double? endpointBaselineValue, double? endpointRequests, double? endpointEvidence, double? endpointEvidenceBoundary);

    [LoggerMessage(EventId = 1005, EventName = "RolloutRolledBack", Level = LogLevel.Warning,
        Message = "Rollout {Rollout} rolled back ({Cause}) from {FromWeight} % at step {Step}")]
    public static partial void RolledBack(ILogger logger, string rollout, DecisionCause cause, int fromWeight, int step);

    [LoggerMessage(EventId = 1006, EventName = "RolloutPromoted", Level = LogLevel.Information,
        Message = "Rollout {Rollout} promoted ({Cause}) after {DurationSeconds} s")]
    public static partial void Promoted(ILogger logger, string rollout, DecisionCause cause, double durationSeconds);

    [LoggerMessage(EventId = 1007, EventName = "RolloutManualOverride", Level = LogLevel.Warning,
        Message = "Rollout {Rollout}: {Action} by {By} at step {Step}: {Reason}")]
    public static partial void ManualOverride(ILogger logger, string rollout, ManualAction action, string by, int step, string reason);

    [LoggerMessage(EventId = 1008, EventName = "RolloutProviderError", Level = LogLevel.Warning,
        Message = "Rollout {Rollout}: measurement of {Metric} could not be taken ({ErrorKind}), {ConsecutiveErrors} error(s) in a row")]
    public static partial void ProviderError(ILogger logger, string rollout, string metric, MetricQueryErrorKind? errorKind, int consecutiveErrors);

    [LoggerMessage(EventId = 1009, EventName = "RolloutHeartbeat", Level = LogLevel.Information,
        Message = "Rollout {Rollout}: step {Step} running for {InStepSeconds} s at {Weight} % ({Action}); time still needed {TimeNeededSeconds} s")]
    public static partial void Heartbeat(ILogger logger, string rollout, int step, double inStepSeconds, int weight, RolloutAction action, double? timeNeededSeconds);

    [LoggerMessage(EventId = 1011, EventName = "RolloutChecksMeasured", Level = LogLevel.Debug,
        Message = "Rollout {Rollout}: {Checks} check(s) measured at {Weight} % ({Action}); time still needed {TimeNeededSeconds} s")]
    public static partial void ChecksMeasured(ILogger logger, string rollout, int checks, int weight, RolloutAction action, double? timeNeededSeconds);

    [LoggerMessage(EventId = 1010, EventName = "RolloutEventsFailed", Level = LogLevel.Error,
        Message = "Rollout events stopped with an error")]
    public static partial void EventsFailed(ILogger logger, Exception exception);
}
