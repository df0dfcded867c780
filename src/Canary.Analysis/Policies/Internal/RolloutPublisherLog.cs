using Microsoft.Extensions.Logging;

namespace Canary.Analysis.Policies.Internal;

/// <summary>What <see cref="CanaryRollout"/> itself logs (event ids 1100–1199; the events' own log lines are 1000–1099).</summary>
internal static partial class RolloutPublisherLog
{
    /// <summary>A subscriber threw while handling an event: logged, and the decision stands.</summary>
    [LoggerMessage(EventId = 1100, EventName = "RolloutSubscriberFailed", Level = LogLevel.Error,
        Message = "Rollout {Rollout}: subscriber {Subscriber} failed on {EventKind}; the decision stands")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception, string rollout, string eventKind, string subscriber);
}
