using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Demo;

/// <summary>The evidence of the deciding look: both checks' results, and what the baseline and a plain aggregate say.</summary>
/// <param name="Step">The analysis step that looked.</param>
/// <param name="At">When it looked.</param>
/// <param name="ErrorRate">The sequential error-rate check's result (its rows: the step's cumulative canary counts and evidence).</param>
/// <param name="ErrorRateFrom">Where the sequential check's evidence starts (one look window before its first look).</param>
/// <param name="Baseline">The baseline's traffic over the same span as <paramref name="ErrorRate"/>.</param>
/// <param name="Floor">The weighted success-rate floor's result.</param>
/// <param name="FloorWindow">The floor's trailing window.</param>
/// <param name="Aggregate">The plain traffic-weighted success rate of the same canary traffic as <paramref name="Floor"/>.</param>
internal sealed record DecidingEvidence(
    string Step,
    DateTimeOffset At,
    CheckResult ErrorRate,
    DateTimeOffset ErrorRateFrom,
    TrafficSnapshot Baseline,
    CheckResult Floor,
    TimeSpan FloorWindow,
    CheckResult Aggregate);
