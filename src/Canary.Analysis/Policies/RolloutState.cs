using System.Text.Json;
using Canary.Analysis.Analysis;
using Canary.Analysis.Policies.Internal;

namespace Canary.Analysis.Policies;

/// <summary>
/// Where a rollout stands, as a plain serialisable value: a controller keeps it (as JSON) in the resource's status and
/// resumes after a restart with <see cref="CanaryRollout.Resume"/>.
/// </summary>
public sealed record RolloutState
{
    /// <summary>Gets the policy's name (checked on resume).</summary>
    public required string Policy { get; init; }

    /// <summary>Gets where the rollout stands.</summary>
    public RolloutStatus Status { get; init; }

    /// <summary>Gets the index of the current step (equal to the step count once every step completed).</summary>
    public int StepIndex { get; init; }

    /// <summary>Gets when the current step started.</summary>
    public DateTimeOffset StepStartedAt { get; init; }

    /// <summary>Gets when the rollout started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets the canary's current weight in percent.</summary>
    public int Weight { get; init; }

    /// <summary>Gets a value indicating whether analysis was skipped by a human (see <see cref="Overrides"/>).</summary>
    public bool AnalysisSkipped { get; init; }

    /// <summary>Gets every human command so far, oldest first.</summary>
    public IReadOnlyList<ManualOverride> Overrides { get; init; } = [];

    /// <summary>Gets the current analysis step's progress, if one is running.</summary>
    public AnalysisRunSnapshot? StepAnalysis { get; init; }

    /// <summary>Gets the background analysis' progress, if it started.</summary>
    public AnalysisRunSnapshot? BackgroundAnalysis { get; init; }

    /// <summary>Gets the reason of the last decision.</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>Creates the state of a rollout that starts now.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="now">The start time.</param>
    /// <returns>The initial state: step 0, weight 0.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public static RolloutState Start(CanaryPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new RolloutState { Policy = policy.Name, StartedAt = now, StepStartedAt = now, Message = "Started." };
    }

    /// <summary>Serialises the state to JSON (camelCase, enums as strings, NaN as <c>"NaN"</c>).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, PolicyJsonContext.Default.RolloutState);

    /// <summary>Reads a state written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The state.</returns>
    /// <exception cref="FormatException">The text is not a rollout state; the message says why.</exception>
    public static RolloutState FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize(json, PolicyJsonContext.Default.RolloutState)
                ?? throw new FormatException("The rollout state is null.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Not a rollout state: {ex.Message}", ex);
        }
    }
}
