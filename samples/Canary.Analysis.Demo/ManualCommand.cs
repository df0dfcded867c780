using Canary.Analysis.Policies;

namespace Canary.Analysis.Demo;

/// <summary>
/// A human command given to the rollout right after it starts (the fail-fast step has begun, nothing is judged yet),
/// as an on-call engineer shipping an urgent fix would: applied with <see cref="CanaryRollout.Apply"/>, which records it.
/// </summary>
/// <param name="Action"><see cref="ManualAction.SkipAnalysis"/> or <see cref="ManualAction.Promote"/>.</param>
/// <param name="By">Who gives it.</param>
/// <param name="Reason">Why.</param>
internal sealed record ManualCommand(ManualAction Action, string By, string Reason);
