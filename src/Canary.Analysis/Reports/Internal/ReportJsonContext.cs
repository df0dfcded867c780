using System.Text.Json.Serialization;

namespace Canary.Analysis.Reports.Internal;

/// <summary>
/// Source-generated JSON for <see cref="CanaryReport"/> (trimming- and AOT-friendly): camelCase, string enums, numbers that are
/// always valid JSON (<see cref="ReportNumberJsonConverter"/>), indented for people reading a CI artifact.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    Converters = [typeof(ReportNumberJsonConverter)])]
[JsonSerializable(typeof(CanaryReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
