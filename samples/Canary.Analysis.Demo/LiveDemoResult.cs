using Canary.Analysis.Policies;
using Canary.Analysis.Reports;

namespace Canary.Analysis.Demo;

/// <summary>The live demo's outcome: the final decision, when, how long it took, and the evidence of the deciding look.</summary>
/// <param name="Decision">The final decision (its state holds the recorded manual commands).</param>
/// <param name="DecidedAt">The simulated time of the decision.</param>
/// <param name="Simulated">Simulated time from the start to the decision.</param>
/// <param name="RealTime">Real time the run took (shown, never asserted).</param>
/// <param name="Requests">Requests sent, both versions.</param>
/// <param name="CanaryRequests">Requests sent to the canary.</param>
/// <param name="Shares">The canary's real share of traffic for each weight the policy set.</param>
/// <param name="Lint">What <see cref="PolicyLinter"/> said about the policy before the run.</param>
/// <param name="Evidence">The deciding look's evidence, or null when nothing was judged (analysis skipped, promoted by hand).</param>
/// <param name="Report">The run's report, built from every decision as it was handed out (<c>--report DIR</c> writes it).</param>
internal sealed record LiveDemoResult(
    RolloutDecision Decision,
    DateTimeOffset DecidedAt,
    TimeSpan Simulated,
    TimeSpan RealTime,
    int Requests,
    int CanaryRequests,
    IReadOnlyDictionary<int, CanaryShare> Shares,
    IReadOnlyList<LintFinding> Lint,
    DecidingEvidence? Evidence,
    CanaryReport Report);
