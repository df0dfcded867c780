using Microsoft.Extensions.Logging;

namespace Canary.Analysis.Hosting.Internal;

/// <summary>The rollout host's log lines: stable event ids 3000–3099. Errors are logged by type and message of the host's own failures (store, tick), never a provider's message (which may quote an address).</summary>
internal static partial class RolloutHostLog
{
    [LoggerMessage(EventId = 3000, EventName = "RolloutHostStarted", Level = LogLevel.Information,
        Message = "Rollout host {Instance} started")]
    public static partial void Started(ILogger logger, string instance);

    [LoggerMessage(EventId = 3001, EventName = "RolloutResumed", Level = LogLevel.Information,
        Message = "Rollout {Rollout} (policy {Policy}) resumed at step {Step}, {Status}, version {Version}")]
    public static partial void Resumed(ILogger logger, string rollout, string policy, int step, Canary.Analysis.Policies.RolloutStatus status, string version);

    [LoggerMessage(EventId = 3002, EventName = "RolloutStartedByHost", Level = LogLevel.Information,
        Message = "Rollout {Rollout} (policy {Policy}) started")]
    public static partial void StartedRollout(ILogger logger, string rollout, string policy);

    [LoggerMessage(EventId = 3003, EventName = "RolloutRefused", Level = LogLevel.Error,
        Message = "Rollout {Rollout}: its saved state is refused and not obeyed: {Reason}")]
    public static partial void Refused(ILogger logger, string rollout, string reason);

    [LoggerMessage(EventId = 3004, EventName = "RolloutTickFailed", Level = LogLevel.Warning,
        Message = "Rollout {Rollout}: tick failed ({Failures} in a row), retried in {DelaySeconds} s; the saved state is kept")]
    public static partial void TickFailed(ILogger logger, Exception exception, string rollout, int failures, double delaySeconds);

    [LoggerMessage(EventId = 3005, EventName = "RolloutStateConflict", Level = LogLevel.Warning,
        Message = "Rollout {Rollout}: its state was saved elsewhere since it was read; read again, not overwritten")]
    public static partial void Conflict(ILogger logger, string rollout);

    [LoggerMessage(EventId = 3006, EventName = "RolloutNotOwned", Level = LogLevel.Information,
        Message = "Rollout {Rollout}: owned by {Owner} until {ExpiresAt:O}; not ticked here")]
    public static partial void NotOwned(ILogger logger, string rollout, string owner, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 3007, EventName = "RolloutProviderBackoff", Level = LogLevel.Warning,
        Message = "Rollout {Rollout}: {Errors} provider error(s) in a row; next look in {DelaySeconds} s")]
    public static partial void ProviderBackoff(ILogger logger, string rollout, int errors, double delaySeconds);

    [LoggerMessage(EventId = 3008, EventName = "RolloutHostStoreFailed", Level = LogLevel.Warning,
        Message = "Rollout host {Instance}: listing the store failed; retried in {DelaySeconds} s")]
    public static partial void ListFailed(ILogger logger, Exception exception, string instance, double delaySeconds);

    [LoggerMessage(EventId = 3009, EventName = "RolloutHostFailed", Level = LogLevel.Critical,
        Message = "Rollout host {Instance} stopped on an unexpected error")]
    public static partial void Failed(ILogger logger, Exception exception, string instance);

    [LoggerMessage(EventId = 3010, EventName = "RolloutHostStopped", Level = LogLevel.Information,
        Message = "Rollout host {Instance} stopped; leases released")]
    public static partial void Stopped(ILogger logger, string instance);
}
