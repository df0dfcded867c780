namespace Canary.Analysis.Gate;

/// <summary>The process exit codes of <see cref="CanaryGate"/>: a CI step passes only on <see cref="Pass"/>.</summary>
public enum GateExitCode
{
    /// <summary>Every check passed.</summary>
    Pass = 0,

    /// <summary>A check failed: the canary is worse than allowed.</summary>
    Fail = 1,

    /// <summary>The arguments are wrong; the message names the argument and its value.</summary>
    UsageError = 2,

    /// <summary>Not enough evidence either way (too few requests, missing data, a timeout while waiting): never a pass.</summary>
    Inconclusive = 3,

    /// <summary>The metrics could not be read (unreachable or erroring Prometheus, malformed answer).</summary>
    ProviderError = 4,
}
