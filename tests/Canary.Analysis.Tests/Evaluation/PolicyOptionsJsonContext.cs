using System.Text.Json.Serialization;
using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Tests.Evaluation;

/// <summary>A source-generated context with the options the rollout state is saved with (camelCase, string enums, named floats).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(SequentialErrorRateState))]
internal sealed partial class PolicyOptionsJsonContext : JsonSerializerContext;
