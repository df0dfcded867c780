using System.Text.Json.Serialization;

namespace Canary.Analysis.Evaluation.Internal;

/// <summary>Source-generated JSON for the evaluators' saved evidence (trimming- and AOT-friendly).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(SequentialErrorRateState))]
internal sealed partial class EvaluationJsonContext : JsonSerializerContext;
