using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Canary.Analysis.Internal;

/// <summary>
/// An immutable list with value equality (equal when the items are equal, in order), so a <c>record</c> holding one
/// compares by content: state records stay comparable with <c>==</c> without a hand-kept comparison.
/// </summary>
/// <remarks>
/// The one home of list-valued state: a record keeps its list in a field of this type behind an
/// <see cref="IReadOnlyList{T}"/> property whose <c>init</c> copies what it is given (<see cref="From"/>), so the record's
/// compiler-made equality and hash compare the items, <c>with</c> shares an immutable list (nothing to alias), and a caller
/// who changes the list they passed in changes nothing.
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class ValueArray<T> : IReadOnlyList<T>, IEquatable<ValueArray<T>>
{
    private readonly T[] _items;

    private ValueArray(T[] items) => _items = items;

    /// <summary>Gets the empty list.</summary>
    public static ValueArray<T> Empty { get; } = new([]);

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <summary>Gets the items as a span (no copy).</summary>
    public ReadOnlySpan<T> Span => _items;

    /// <inheritdoc />
    public T this[int index] => _items[index];

    /// <summary>Copies <paramref name="items"/> (or returns them when they already are a <see cref="ValueArray{T}"/>).</summary>
    public static ValueArray<T> From(IEnumerable<T>? items) => items switch
    {
        null => Empty,
        ValueArray<T> values => values,
        _ => Own([.. items]),
    };

    /// <summary>
    /// As <see cref="From"/>, but null stays null: for a saved state's list, whose validator names a missing list rather
    /// than reading it as empty.
    /// </summary>
    [return: NotNullIfNotNull(nameof(items))]
    public static ValueArray<T>? FromNullable(IEnumerable<T>? items) => items is null ? null : From(items);

    /// <summary>Takes ownership of <paramref name="items"/>: the caller must not change the array afterwards.</summary>
    public static ValueArray<T> Own(T[] items) => items.Length == 0 ? Empty : new(items);

    /// <inheritdoc />
    public bool Equals(ValueArray<T>? other) =>
        other is not null && (ReferenceEquals(this, other) || _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ValueArray<T>);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
