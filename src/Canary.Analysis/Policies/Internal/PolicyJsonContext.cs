using System.Text.Json.Serialization;

namespace Canary.Analysis.Policies.Internal;

/// <summary>Source-generated JSON for <see cref="RolloutState"/> (trimming- and AOT-friendly).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RolloutState))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
