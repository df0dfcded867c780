namespace Canary.Analysis.Internal;

/// <summary>
/// A value a <c>record</c> carries that is not part of its state (it is not saved, so a saved-and-read-back record lacks
/// it): every <see cref="Transient{T}"/> equals every other, so the record's compiler-made equality and hash compare the rest
/// without a hand-kept list of fields.
/// </summary>
/// <typeparam name="T">The carried value's type.</typeparam>
/// <param name="Value">The carried value.</param>
internal readonly record struct Transient<T>(T Value)
{
    /// <summary>Always true: a transient value is not compared.</summary>
    /// <param name="other">The other value.</param>
    /// <returns>True.</returns>
    public bool Equals(Transient<T> other) => true;

    /// <inheritdoc />
    public override int GetHashCode() => 0;
}
