using System.Text.Json;
using System.Text.Json.Serialization;

namespace Canary.Analysis.Analysis.Internal;

/// <summary>Writes <see cref="CheckEvidence"/> as its JSON value and reads any JSON value back as evidence.</summary>
internal sealed class CheckEvidenceJsonConverter : JsonConverter<CheckEvidence>
{
    public override CheckEvidence Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        CheckEvidence.FromJson(JsonElement.ParseValue(ref reader));

    public override void Write(Utf8JsonWriter writer, CheckEvidence value, JsonSerializerOptions options) => value.Json.WriteTo(writer);
}
