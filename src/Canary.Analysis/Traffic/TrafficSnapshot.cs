using System.Collections.ObjectModel;

namespace Canary.Analysis.Traffic;

/// <summary>The per-endpoint traffic of one version over one window.</summary>
public sealed class TrafficSnapshot
{
    /// <summary>Creates a snapshot.</summary>
    /// <param name="end">The end of the window.</param>
    /// <param name="window">The length of the window.</param>
    /// <param name="endpoints">The traffic of each endpoint; names must be unique.</param>
    /// <param name="warnings">Warnings from the source (partial data, dropped series, …).</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException">Two entries have the same endpoint name.</exception>
    public TrafficSnapshot(DateTimeOffset end, TimeSpan window, IEnumerable<EndpointTraffic> endpoints, IReadOnlyList<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var map = new Dictionary<string, EndpointTraffic>(StringComparer.Ordinal);
        double requests = 0, successes = 0;
        foreach (var endpoint in endpoints)
        {
            ArgumentNullException.ThrowIfNull(endpoint, nameof(endpoints));
            if (!map.TryAdd(endpoint.Endpoint, endpoint))
            {
                throw new ArgumentException($"Endpoint '{endpoint.Endpoint}' appears twice in the snapshot.", nameof(endpoints));
            }

            requests += endpoint.Requests;
            successes += endpoint.Successes;
        }

        End = end;
        Window = window;
        Endpoints = new ReadOnlyDictionary<string, EndpointTraffic>(map);
        TotalRequests = requests;
        TotalSuccesses = successes;
        Warnings = warnings ?? [];
    }

    /// <summary>Gets the end of the window.</summary>
    public DateTimeOffset End { get; }

    /// <summary>Gets the length of the window.</summary>
    public TimeSpan Window { get; }

    /// <summary>Gets the traffic by endpoint name (ordinal comparison).</summary>
    public IReadOnlyDictionary<string, EndpointTraffic> Endpoints { get; }

    /// <summary>Gets all requests of all endpoints (NaN when a count is not valid).</summary>
    public double TotalRequests { get; }

    /// <summary>Gets all successful requests of all endpoints.</summary>
    public double TotalSuccesses { get; }

    /// <summary>Gets the plain aggregate success rate (all successes / all requests), NaN without requests.</summary>
    public double AggregateSuccessRate => TotalRequests > 0 ? TotalSuccesses / TotalRequests : double.NaN;

    /// <summary>Gets warnings the source attached to the data.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Gets the known holes in the data (partial responses, unreachable targets, vanished series). Checks judging a
    /// snapshot with gaps say Inconclusive with the gaps' descriptions, never Pass.
    /// </summary>
    /// <value>The default value is empty: the source knows of no missing data.</value>
    public IReadOnlyList<DataGap> Gaps { get; init; } = [];

    /// <summary>Gets a value indicating whether the source knows of no missing data (<see cref="Gaps"/> is empty).</summary>
    public bool IsComplete => Gaps.Count == 0;
}
