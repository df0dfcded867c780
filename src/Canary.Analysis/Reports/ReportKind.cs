namespace Canary.Analysis.Reports;

/// <summary>What a <see cref="CanaryReport"/> reports on.</summary>
public enum ReportKind
{
    /// <summary>A rollout: its decisions, analyses over time, weights and human commands.</summary>
    Rollout,

    /// <summary>A single judgement: one or more check results taken at one time.</summary>
    Judgement,
}
