using System.Text.Json;
using System.Text.Json.Serialization;

namespace Canary.Analysis.Reports.Internal;

/// <summary>
/// Writes a report's numbers as valid JSON, which has no NaN: NaN (not computed) as <c>null</c>, ±∞ as the strings
/// <c>"Infinity"</c> and <c>"-Infinity"</c> (an endpoint whose limit cannot be reached), finite numbers as numbers (round-trip).
/// </summary>
internal sealed class ReportNumberJsonConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => double.NaN,
        JsonTokenType.String when reader.ValueTextEquals("Infinity") => double.PositiveInfinity,
        JsonTokenType.String when reader.ValueTextEquals("-Infinity") => double.NegativeInfinity,
        _ => reader.GetDouble(),
    };

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsNaN(value))
        {
            writer.WriteNullValue();
        }
        else if (double.IsInfinity(value))
        {
            writer.WriteStringValue(value > 0 ? "Infinity" : "-Infinity");
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }
}
