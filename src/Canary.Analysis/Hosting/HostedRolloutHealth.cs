namespace Canary.Analysis.Hosting;

/// <summary>How a rollout fares in a <see cref="RolloutHost"/>.</summary>
public enum HostedRolloutHealth
{
    /// <summary>Found, not yet read or ticked.</summary>
    Pending,

    /// <summary>Ticked when its decision says; nothing wrong.</summary>
    Running,

    /// <summary>Waits for a human (paused); read again every poll for a command saved elsewhere.</summary>
    Paused,

    /// <summary>Promoted or rolled back: no longer ticked.</summary>
    Ended,

    /// <summary>Another host instance holds its lease; this one does not tick it.</summary>
    NotOwned,

    /// <summary>Its measurements or its tick or store access fail: retried after a growing delay, its saved state kept.</summary>
    Backoff,

    /// <summary>Its saved state cannot be run (it does not fit its policy, the policy is unknown, it is unreadable): never obeyed, reported.</summary>
    Refused,
}
