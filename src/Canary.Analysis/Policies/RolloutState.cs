using System.Text.Json;
using System.Text.Json.Serialization;
using Canary.Analysis.Analysis;
using Canary.Analysis.Internal;
using Canary.Analysis.Policies.Internal;

namespace Canary.Analysis.Policies;

/// <summary>
/// Where a rollout stands, as a plain serialisable value: a controller keeps it (as JSON) in the resource's status and
/// resumes after a restart with <see cref="CanaryRollout.Resume"/>.
/// </summary>
/// <remarks>
/// A value all the way down: two states are equal (<c>==</c>, equal hash codes) exactly when everything saved is equal —
/// lists by their items, each check's evidence by its JSON — so a state read back with <see cref="FromJson"/> equals the state
/// saved with <see cref="ToJson"/>. (Times compare as instants, as <see cref="DateTimeOffset"/> does.)
/// </remarks>
public sealed record RolloutState
{
    private readonly ValueArray<ManualOverride>? _overrides = ValueArray<ManualOverride>.Empty;

    /// <summary>
    /// The format version <see cref="ToJson"/> writes and <see cref="FromJson"/> reads (2: each metric's history, range and
    /// check evidence are saved; skipped analysis and a run's termination are derived). <see cref="FromJson"/> also reads
    /// version 1 and migrates it.
    /// </summary>
    public const int CurrentVersion = 2;

    /// <summary>Gets the format version of the state (<see cref="CurrentVersion"/>; <see cref="CanaryRollout.Resume"/> refuses any other).</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>Gets the policy's name (checked on resume).</summary>
    public required string Policy { get; init; }

    /// <summary>Gets where the rollout stands.</summary>
    public RolloutStatus Status { get; init; }

    /// <summary>Gets the index of the current step (equal to the step count exactly when promoted).</summary>
    public int StepIndex { get; init; }

    /// <summary>Gets when the current step started.</summary>
    public DateTimeOffset StepStartedAt { get; init; }

    /// <summary>Gets when the rollout started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets the canary's current weight in percent.</summary>
    public int Weight { get; init; }

    /// <summary>
    /// Gets a value indicating whether analysis was skipped by a human: derived from <see cref="Overrides"/>, true exactly
    /// when they hold a <see cref="ManualAction.SkipAnalysis"/> after the last <see cref="ManualAction.Retry"/>.
    /// </summary>
    [JsonIgnore]
    public bool AnalysisSkipped => ActiveSkip is not null;

    /// <summary>Gets the <see cref="ManualAction.SkipAnalysis"/> command in force: the last one since the last retry, or null.</summary>
    [JsonIgnore]
    public ManualOverride? ActiveSkip
    {
        get
        {
            var overrides = Overrides;
            for (var i = overrides.Count - 1; i >= 0 && overrides[i]?.Action != ManualAction.Retry; i--)
            {
                if (overrides[i]?.Action == ManualAction.SkipAnalysis)
                {
                    return overrides[i];
                }
            }

            return null;
        }
    }

    /// <summary>Gets every human command so far, oldest first.</summary>
    public IReadOnlyList<ManualOverride> Overrides
    {
        get => _overrides!;
        init => _overrides = ValueArray<ManualOverride>.FromNullable(value);
    }

    /// <summary>Gets the current analysis step's progress, if one is running.</summary>
    public AnalysisRunState? StepAnalysis { get; init; }

    /// <summary>Gets the background analysis' progress, if it started.</summary>
    public AnalysisRunState? BackgroundAnalysis { get; init; }

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

    /// <summary>
    /// Reads a state written by <see cref="ToJson"/>, strictly: format version <see cref="CurrentVersion"/>, every field
    /// present, no other field, no key twice, enums by their exact names. A version-1 state (as strict) is migrated: its last
    /// measurement becomes a history of one, its range is unknown (NaN, as version 1 resumed it), no check evidence, and its
    /// <c>analysisSkipped</c> and <c>terminated</c> flags must agree with what they are now derived from.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The state; <see cref="CanaryRollout.Resume"/> then checks that it fits the policy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="FormatException">The text is not a version-1 or version-2 rollout state; the message names the JSON path and the value.</exception>
    public static RolloutState FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using (var document = JsonDocument.Parse(json))
            {
                if (RolloutStateJsonSchema.Validate(document.RootElement) == 1)
                {
                    json = RolloutStateV1Migration.Migrate(document.RootElement);
                }
            }

            return JsonSerializer.Deserialize(json, PolicyJsonContext.Default.RolloutState)
                ?? throw new FormatException("Invalid rollout state: $ is null.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Invalid rollout state: {ex.Path ?? "$"}: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // A string with an unpaired surrogate escape (e.g. "\uD800") cannot be read as text.
            throw new FormatException($"Invalid rollout state: {ex.Message}", ex);
        }
    }
}
