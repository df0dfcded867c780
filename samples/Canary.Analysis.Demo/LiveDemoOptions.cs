namespace Canary.Analysis.Demo;

/// <summary>What the live demo runs.</summary>
internal sealed class LiveDemoOptions
{
    /// <summary>Gets a value indicating whether the canary is healthy (promotion) rather than failing on /api/pay (rollback).</summary>
    public bool Healthy { get; init; }

    /// <summary>Gets the load generator's seed (the order of requests; the counts per minute do not depend on it).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Gets the rollout's replica count when pods, not a traffic router, split the traffic (the canary then gets
    /// <see cref="Policies.ReplicaSplit.ForWeight"/>'s effective weight), or null when a router gives it exactly its weight.
    /// </summary>
    public int? Replicas { get; init; }

    /// <summary>Gets a human command applied once the rollout has started, or null.</summary>
    public ManualCommand? Manual { get; init; }

    /// <summary>Gets the file the status metrics are written to at the end of the run (<c>--metrics-out FILE</c>), or null.</summary>
    public string? MetricsOut { get; init; }

    /// <summary>Gets a callback given the status metrics' exposition text after every simulated minute's decision, or null.</summary>
    public Action<DateTimeOffset, string>? MetricsSnapshot { get; init; }
}
