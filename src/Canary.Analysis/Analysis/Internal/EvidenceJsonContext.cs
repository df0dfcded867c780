using System.Text.Json.Serialization;
using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Analysis.Internal;

/// <summary>
/// Source-generated JSON for the evidence built-in checks save with a run's state (AOT-friendly): the rollout state's
/// conventions (camelCase, string enums, named floats for e-values that overflowed), and unknown keys refused.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(SequentialErrorRateState))]
[JsonSerializable(typeof(SequentialLatencyState))]
internal sealed partial class EvidenceJsonContext : JsonSerializerContext;
