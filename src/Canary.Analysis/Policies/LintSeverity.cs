namespace Canary.Analysis.Policies;

/// <summary>How serious a <see cref="LintFinding"/> is.</summary>
public enum LintSeverity
{
    /// <summary>Worth knowing; the policy works as intended.</summary>
    Info,

    /// <summary>The policy works but goes against a lesson teams learned: it will miss regressions or expose too many users.</summary>
    Warning,

    /// <summary>The policy does not do what it says (for example a weight the replicas cannot give); fix it before use.</summary>
    Error,
}
