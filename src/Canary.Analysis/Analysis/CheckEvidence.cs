using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Canary.Analysis.Analysis.Internal;

namespace Canary.Analysis.Analysis;

/// <summary>
/// The evidence a check keeps across looks (<see cref="IResumableCheck"/>), as a run's state holds it: captured after every
/// look as an immutable value, and written as JSON only when someone reads <see cref="Json"/> — when the rollout's state is
/// saved (<see cref="Policies.RolloutState.ToJson"/>) — so a look costs no serialization.
/// </summary>
[JsonConverter(typeof(CheckEvidenceJsonConverter))]
public sealed class CheckEvidence
{
    private readonly Func<JsonElement>? _write;
    private StrongBox<JsonElement>? _json;

    private CheckEvidence(JsonElement json) => _json = new StrongBox<JsonElement>(json);

    private CheckEvidence(Func<JsonElement> write) => _write = write;

    /// <summary>Gets the evidence as JSON (written on first read, then kept).</summary>
    public JsonElement Json => (_json ??= new StrongBox<JsonElement>(_write!())).Value;

    /// <summary>Evidence read back from a saved state, or already in JSON.</summary>
    /// <param name="json">The JSON value (copied, so it outlives its document).</param>
    /// <returns>The evidence.</returns>
    public static CheckEvidence FromJson(JsonElement json) => new(json.Clone());

    /// <summary>Evidence captured as an immutable value, written with <paramref name="typeInfo"/> when first needed.</summary>
    /// <typeparam name="T">The evidence's type; it must not change after capture (a record, an immutable value).</typeparam>
    /// <param name="value">The evidence.</param>
    /// <param name="typeInfo">How to write it (source-generated, so it stays trimming- and AOT-safe).</param>
    /// <returns>The evidence.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static CheckEvidence Of<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new CheckEvidence(() => JsonSerializer.SerializeToElement(value, typeInfo));
    }

    /// <inheritdoc />
    public override string ToString() => Json.GetRawText();
}
