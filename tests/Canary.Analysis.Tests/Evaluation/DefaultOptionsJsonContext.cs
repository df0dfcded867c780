using System.Text.Json.Serialization;
using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Tests.Evaluation;

/// <summary>A source-generated context with default options, as another component saving the evidence might declare it.</summary>
[JsonSerializable(typeof(SequentialErrorRateState))]
internal sealed partial class DefaultOptionsJsonContext : JsonSerializerContext;
