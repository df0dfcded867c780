namespace Canary.Analysis.Traffic;

/// <summary>One recorded read of a traffic source: the query asked and the snapshot it returned.</summary>
/// <param name="query">The query.</param>
/// <param name="snapshot">The snapshot the source returned.</param>
/// <exception cref="ArgumentNullException">An argument is null.</exception>
public sealed class RecordedTrafficSnapshot(TrafficQuery query, TrafficSnapshot snapshot)
{
    /// <summary>Gets the query.</summary>
    public TrafficQuery Query { get; } = query ?? throw new ArgumentNullException(nameof(query));

    /// <summary>Gets the snapshot.</summary>
    public TrafficSnapshot Snapshot { get; } = snapshot ?? throw new ArgumentNullException(nameof(snapshot));

    /// <inheritdoc />
    public override string ToString() => $"{Query}: {Snapshot.Endpoints.Count} endpoint(s)";
}
