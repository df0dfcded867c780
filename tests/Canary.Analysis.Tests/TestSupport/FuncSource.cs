using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>Answers every query with a function of it, and records the queries.</summary>
internal sealed class FuncSource(Func<TrafficQuery, TrafficSnapshot> answer) : ITrafficSource
{
    public List<TrafficQuery> Queries { get; } = [];

    public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
    {
        lock (Queries)
        {
            Queries.Add(query);
        }

        return Task.FromResult(answer(query));
    }
}
