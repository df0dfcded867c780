namespace Canary.Analysis.Demo;

/// <summary>
/// The two checks of one analysis step, observed: the sequential canary-vs-baseline error-rate test that may fail at
/// any look, and the weighted success-rate floor. The floor is per step; the sequential check keeps its
/// history across the steps of the policy (one instance, observed through one wrapper per step).
/// </summary>
/// <param name="Step">The analysis step's name.</param>
/// <param name="ErrorRate">The <see cref="Analysis.SequentialErrorRateCheck"/>.</param>
/// <param name="Floor">The <see cref="Analysis.SuccessRateCheck"/>.</param>
internal sealed record StepChecks(string Step, ObservedCheck ErrorRate, ObservedCheck Floor)
{
    /// <summary>Gets the time of the step's latest look, if it looked at all.</summary>
    public DateTimeOffset? LastLook => ErrorRate.Last?.At ?? Floor.Last?.At;
}
