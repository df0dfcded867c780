using Canary.Analysis.Traffic;

namespace Canary.Analysis.Benchmarks;

/// <summary>A traffic source that answers every query with one prebuilt snapshot, allocating nothing per read.</summary>
internal sealed class FixedTrafficSource(TrafficSnapshot snapshot) : ITrafficSource
{
    private readonly Task<TrafficSnapshot> _read = Task.FromResult(snapshot);

    public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default) => _read;
}
