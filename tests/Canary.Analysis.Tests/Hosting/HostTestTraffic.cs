using Canary.Analysis.Metrics;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Hosting;

/// <summary>
/// A traffic source for host tests: every query sees 1 000 requests on <c>/pay</c> with a settable success rate, can be made
/// to fail like a provider (or to hang until cancelled), and records who read it when.
/// </summary>
internal sealed class HostTestTraffic(string name = "host") : ITrafficSource
{
    private readonly object _lock = new();
    private readonly List<(string Reader, DateTimeOffset End)> _reads = [];

    public string Name { get; } = name;

    public double SuccessRate { get; set; } = 0.999;

    public bool Fail { get; set; }

    public TaskCompletionSource? Hang { get; set; }

    public IReadOnlyList<(string Reader, DateTimeOffset End)> Reads
    {
        get
        {
            lock (_lock)
            {
                return [.. _reads];
            }
        }
    }

    public async Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _reads.Add((Name, query.End));
        }

        if (Hang is { } hang)
        {
            hang.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        if (Fail)
        {
            throw new MetricQueryException("connection refused (test)");
        }

        return new TrafficSnapshot(query.End, query.Window, [new EndpointTraffic("/pay", 1000, Math.Round(1000 * SuccessRate))]);
    }
}
