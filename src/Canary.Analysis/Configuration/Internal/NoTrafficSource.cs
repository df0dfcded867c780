using Canary.Analysis.Traffic;

namespace Canary.Analysis.Configuration.Internal;

/// <summary>The source of a policy built only to be linted: reading from it is a bug.</summary>
internal sealed class NoTrafficSource : ITrafficSource
{
    public static NoTrafficSource Instance { get; } = new();

    public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("A policy built to be linted reads no traffic.");
}
