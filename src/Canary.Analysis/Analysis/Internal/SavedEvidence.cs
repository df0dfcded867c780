using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Canary.Analysis.Analysis.Internal;

/// <summary>Reads a check's saved evidence back (<see cref="IResumableCheck.RestoreEvidence"/>): a value of the check's state type, or a <see cref="FormatException"/>.</summary>
internal static class SavedEvidence
{
    /// <summary>The state in <paramref name="evidence"/>; the state's own validation is the caller's.</summary>
    /// <exception cref="FormatException">The JSON is not such a state (wrong shape, unknown or missing members) or is null.</exception>
    public static T Read<T>(JsonElement evidence, JsonTypeInfo<T> typeInfo, string checkName)
        where T : class
    {
        T? state;
        try
        {
            state = evidence.Deserialize(typeInfo);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The saved evidence is not a {checkName} state: {ex.Message}", ex);
        }

        return state ?? throw new FormatException($"The saved evidence of a {checkName} check is null.");
    }
}
