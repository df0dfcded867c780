using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Internal;

namespace Canary.Analysis.Analysis;

/// <summary>
/// The evidence a check keeps across looks (<see cref="IResumableCheck"/>), as a run's state holds it: captured after every
/// look as an immutable value, and written as JSON only when someone reads <see cref="Json"/> — when the rollout's state is
/// saved (<see cref="Policies.RolloutState.ToJson"/>) — so a look costs no serialization.
/// </summary>
/// <remarks>
/// Evidence is a value: two are equal (<c>==</c>, <see cref="Equals(CheckEvidence?)"/>, equal hash codes) when their JSON says
/// the same — the same values, whatever the whitespace, the order of object members or the spelling of numbers — so evidence
/// captured by a check equals the evidence read back from the state it was saved in. Comparing writes the JSON.
/// </remarks>
[JsonConverter(typeof(CheckEvidenceJsonConverter))]
public sealed class CheckEvidence : IEquatable<CheckEvidence>
{
    private readonly Func<JsonElement>? _write;
    private StrongBox<JsonElement>? _json;
    private byte[]? _canonical;

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

    /// <summary>Whether two pieces of evidence are equal: their JSON says the same.</summary>
    /// <param name="left">The first evidence, or null.</param>
    /// <param name="right">The second evidence, or null.</param>
    /// <returns>True when both are null or both say the same.</returns>
    public static bool operator ==(CheckEvidence? left, CheckEvidence? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Whether two pieces of evidence differ.</summary>
    /// <param name="left">The first evidence, or null.</param>
    /// <param name="right">The second evidence, or null.</param>
    /// <returns>True unless both are null or both say the same.</returns>
    public static bool operator !=(CheckEvidence? left, CheckEvidence? right) => !(left == right);

    /// <inheritdoc />
    public bool Equals(CheckEvidence? other) =>
        other is not null && (ReferenceEquals(this, other) || Canonical().AsSpan().SequenceEqual(other.Canonical()));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CheckEvidence);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(Canonical());
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => Json.GetRawText();

    /// <summary>The JSON in its canonical form (computed on first comparison, then kept).</summary>
    private byte[] Canonical() => _canonical ??= CanonicalJson.Of(Json);
}
