namespace Canary.Analysis.Traffic;

/// <summary>One recorded read of a traffic source: the query asked and the snapshot it returned.</summary>
public sealed class RecordedTrafficSnapshot
{
    /// <summary>Creates a recorded read.</summary>
    /// <param name="query">The query.</param>
    /// <param name="snapshot">The snapshot the source returned.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public RecordedTrafficSnapshot(TrafficQuery query, TrafficSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(snapshot);
        Query = query;
        Snapshot = snapshot;
    }

    /// <summary>Gets the query.</summary>
    public TrafficQuery Query { get; }

    /// <summary>Gets the snapshot.</summary>
    public TrafficSnapshot Snapshot { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Query}: {Snapshot.Endpoints.Count} endpoint(s)";
}
