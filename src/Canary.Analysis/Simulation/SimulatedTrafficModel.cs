using System.Globalization;

namespace Canary.Analysis.Simulation;

/// <summary>
/// The synthetic service a <see cref="SimulatedTrafficSource"/> serves: endpoints, a daily profile, the canary's
/// share of traffic, faults, and the scrape interval at which counts are generated.
/// </summary>
public sealed class SimulatedTrafficModel
{
    /// <summary>Gets the default latency bucket bounds in seconds: prometheus-net's default histogram buckets.</summary>
    public static IReadOnlyList<double> PrometheusNetBuckets { get; } = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>Gets or sets when the simulated world starts: no request of either version is served before it.</summary>
    public required DateTimeOffset Start { get; set; }

    /// <summary>Gets or sets the endpoints; names must be unique.</summary>
    public required IReadOnlyList<SimulatedEndpoint> Endpoints { get; set; }

    /// <summary>Gets or sets the daily profile.</summary>
    /// <value>The default value is <see cref="TrafficProfile.Flat"/>.</value>
    public TrafficProfile Profile { get; set; } = TrafficProfile.Flat;

    /// <summary>Gets or sets the canary's share of requests (0–1) from <see cref="Start"/>; see <see cref="SimulatedTrafficSource.SetCanaryWeight"/> to change it later.</summary>
    /// <value>The default value is 0.05.</value>
    public double CanaryWeight { get; set; } = 0.05;

    /// <summary>Gets or sets the faults injected into the canary.</summary>
    public IReadOnlyList<SimulatedFault> Faults { get; set; } = [];

    /// <summary>Gets or sets the length of one generated bucket (the scrape interval): counters advance once per bucket.</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Gets or sets a value indicating whether reads that ask for <see cref="Traffic.TrafficCounting.Increase"/> see what
    /// Prometheus' <c>increase()</c> gives: per version and endpoint a success counter and an error counter (each a series from
    /// its first scrape with a non-zero value, as prometheus-net creates labelled children), sampled at every scrape, and
    /// each read's window computed from the samples inside it with Prometheus' extrapolation, fractional. Reads that ask for
    /// <see cref="Traffic.TrafficCounting.CounterDifference"/>, and every read when this is false, see the exact counter
    /// differences between the last scrapes at or before the window's ends. Latency is always the exact difference.
    /// </summary>
    /// <value>The default value is false.</value>
    public bool PrometheusIncrease { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether, under <see cref="PrometheusIncrease"/>, every counter series exists (at 0) from the
    /// start, as when the app initialises each label combination; otherwise a series is born with its first increment, as
    /// prometheus-net creates a labelled child on first use, and <c>increase()</c> never sees that first increment (the series'
    /// first sample already holds it).
    /// </summary>
    /// <value>The default value is false.</value>
    public bool PrometheusCountersInitialized { get; set; }

    /// <summary>
    /// Gets or sets the number of errors that arrive together (one client's retries, one sticky pod): with a size B above 1,
    /// each version's requests of an endpoint in one generated bucket (<see cref="ScrapeInterval"/>) are cut into blocks of B
    /// consecutive requests (the last block holds the rest, fewer than B), and each block fails as a whole with the version's
    /// error rate r. The clusters are therefore capped by the version's requests in the bucket, a cluster never spans two
    /// buckets nor two versions, and the mean error rate stays exactly r (each request fails with probability r); the number
    /// of clusters is Binomial(⌈n/B⌉, r), about Poisson(r·n/B) when n ≥ B. A version with fewer than B requests in the bucket
    /// gets clusters of its n requests, r of the time. With 1 errors are independent: Binomial(n, r), as without bursts.
    /// </summary>
    /// <value>The default value is 1 (independent errors).</value>
    public int ErrorBurstSize { get; set; } = 1;

    /// <summary>
    /// Gets or sets how long the baseline served all of the traffic before <see cref="Start"/> (the canary did not exist yet):
    /// the history a check may read (<see cref="Evaluation.SequentialErrorRateCriteria.BaselineHistory"/>). It is generated in
    /// one-minute buckets ending at <see cref="Start"/>, with the profile, the endpoints' rates and
    /// <see cref="ErrorBurstSize"/>, and error rates times <see cref="BaselineHistoryErrorFactor"/>; faults do not apply to it.
    /// Its requests count only for the baseline, as exact counter differences (<see cref="PrometheusIncrease"/> reads do not see
    /// it); reads of windows ending at or after the start see it whole.
    /// </summary>
    /// <value>The default value is zero: no traffic before the start.</value>
    public TimeSpan BaselineHistory { get; set; }

    /// <summary>
    /// Gets or sets the factor on every endpoint's error rate during <see cref="BaselineHistory"/> (capped at 1): 0.5 / 0.6
    /// gives a baseline at 0.5 % over its history and at 0.6 % from the start.
    /// </summary>
    /// <value>The default value is 1: the same rates as from the start.</value>
    public double BaselineHistoryErrorFactor { get; set; } = 1;

    /// <summary>Gets or sets the latency histogram's finite upper bounds in seconds (<c>+Inf</c> is added).</summary>
    /// <value>The default value is <see cref="PrometheusNetBuckets"/>.</value>
    public IReadOnlyList<double> LatencyBuckets { get; set; } = PrometheusNetBuckets;

    /// <summary>Creates the DESIGN scenario: <paramref name="endpoints"/> endpoints at 100 req/s in all, one of them (<c>/rare</c>) at 0.3 req/s, 0.5 % errors.</summary>
    /// <param name="start">When the world starts.</param>
    /// <param name="endpoints">The number of endpoints (at least 2); the busy ones are named <c>/api/e01</c>, <c>/api/e02</c>, ….</param>
    /// <param name="totalRequestsPerSecond">The peak rate of all endpoints together.</param>
    /// <param name="rareRequestsPerSecond">The peak rate of <c>/rare</c>.</param>
    /// <param name="errorRate">Every endpoint's error rate.</param>
    /// <returns>A model with a 5 % canary and a flat profile; set <see cref="Profile"/>, <see cref="Faults"/> as needed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 endpoints, or the rare rate is not below the total.</exception>
    public static SimulatedTrafficModel RareEndpointScenario(DateTimeOffset start, int endpoints = 25, double totalRequestsPerSecond = 100, double rareRequestsPerSecond = 0.3, double errorRate = 0.005)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(endpoints, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rareRequestsPerSecond, totalRequestsPerSecond);
        var busy = (totalRequestsPerSecond - rareRequestsPerSecond) / (endpoints - 1);
        var list = new List<SimulatedEndpoint> { new() { Name = "/rare", RequestsPerSecond = rareRequestsPerSecond, ErrorRate = errorRate, LatencyMedianSeconds = 0.12 } };
        for (var i = 1; i < endpoints; i++)
        {
            list.Add(new SimulatedEndpoint { Name = string.Create(CultureInfo.InvariantCulture, $"/api/e{i:00}"), RequestsPerSecond = busy, ErrorRate = errorRate, LatencyMedianSeconds = 0.02 + (0.004 * i) });
        }

        return new SimulatedTrafficModel { Start = start, Endpoints = list };
    }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and its value.</exception>
    public void Validate()
    {
        if (Endpoints is null || Endpoints.Count == 0)
        {
            throw new ArgumentException("SimulatedTrafficModel.Endpoints must list at least one endpoint.", nameof(Endpoints));
        }

        if (Profile is null)
        {
            throw new ArgumentException("SimulatedTrafficModel.Profile must not be null.", nameof(Profile));
        }

        CheckRate(CanaryWeight, "CanaryWeight");
        if (ScrapeInterval < TimeSpan.FromMilliseconds(1) || ScrapeInterval.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentException($"SimulatedTrafficModel.ScrapeInterval must be a positive whole number of milliseconds, not {ScrapeInterval}.", nameof(ScrapeInterval));
        }

        if (ErrorBurstSize < 1)
        {
            throw new ArgumentException(Invariant($"SimulatedTrafficModel.ErrorBurstSize must be at least 1, not {ErrorBurstSize}."), nameof(ErrorBurstSize));
        }

        if (BaselineHistory < TimeSpan.Zero || BaselineHistory.Ticks % TimeSpan.TicksPerMinute != 0 || BaselineHistory > SimulatedTrafficSource.MaximumDuration)
        {
            throw new ArgumentException($"SimulatedTrafficModel.BaselineHistory must be a whole number of minutes from 0 to {SimulatedTrafficSource.MaximumDuration}, not {BaselineHistory}.", nameof(BaselineHistory));
        }

        if (!(BaselineHistoryErrorFactor >= 0 && double.IsFinite(BaselineHistoryErrorFactor)))
        {
            throw new ArgumentException(Invariant($"SimulatedTrafficModel.BaselineHistoryErrorFactor must be a finite number ≥ 0, not {BaselineHistoryErrorFactor}."), nameof(BaselineHistoryErrorFactor));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in Endpoints)
        {
            if (endpoint is null || string.IsNullOrEmpty(endpoint.Name))
            {
                throw new ArgumentException("Every simulated endpoint needs a name.", nameof(Endpoints));
            }

            if (!names.Add(endpoint.Name))
            {
                throw new ArgumentException($"Simulated endpoint '{endpoint.Name}' appears twice.", nameof(Endpoints));
            }

            if (!double.IsFinite(endpoint.RequestsPerSecond) || endpoint.RequestsPerSecond < 0)
            {
                throw new ArgumentException(Invariant($"Endpoint '{endpoint.Name}': RequestsPerSecond must be finite and ≥ 0, not {endpoint.RequestsPerSecond}."), nameof(Endpoints));
            }

            CheckRate(endpoint.ErrorRate, $"Endpoints['{endpoint.Name}'].ErrorRate");
            if (!double.IsFinite(endpoint.LatencyMedianSeconds) || endpoint.LatencyMedianSeconds <= 0 || !double.IsFinite(endpoint.LatencySpread) || endpoint.LatencySpread <= 0)
            {
                throw new ArgumentException(Invariant($"Endpoint '{endpoint.Name}': LatencyMedianSeconds ({endpoint.LatencyMedianSeconds}) and LatencySpread ({endpoint.LatencySpread}) must be positive."), nameof(Endpoints));
            }
        }

        foreach (var fault in Faults ?? [])
        {
            if (fault is null)
            {
                throw new ArgumentException("A simulated fault is null.", nameof(Faults));
            }

            if (fault.Endpoint is { } name && !names.Contains(name))
            {
                throw new ArgumentException($"Fault on '{name}': no such endpoint in the model.", nameof(Faults));
            }

            if (fault.After < TimeSpan.Zero)
            {
                throw new ArgumentException($"Fault {fault}: After must not be negative.", nameof(Faults));
            }

            if (fault.Duration is { } duration && duration <= TimeSpan.Zero)
            {
                throw new ArgumentException($"Fault {fault}: Duration must be positive or null.", nameof(Faults));
            }

            if (fault.ErrorRate is { } rate)
            {
                CheckRate(rate, $"Faults[{fault.Endpoint ?? "*"}].ErrorRate");
            }

            if (fault.LatencyFactor is { } factor && (!double.IsFinite(factor) || factor <= 0))
            {
                throw new ArgumentException(Invariant($"Fault {fault}: LatencyFactor must be positive, not {factor}."), nameof(Faults));
            }
        }

        if (LatencyBuckets is null || LatencyBuckets.Count == 0 || LatencyBuckets.Any(b => !double.IsFinite(b) || b <= 0) ||
            LatencyBuckets.Zip(LatencyBuckets.Skip(1)).Any(p => p.Second <= p.First))
        {
            throw new ArgumentException("SimulatedTrafficModel.LatencyBuckets must be finite, positive and strictly increasing.", nameof(LatencyBuckets));
        }
    }

    private static void CheckRate(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0 || value > 1)
        {
            throw new ArgumentException(Invariant($"SimulatedTrafficModel.{name} must be between 0 and 1, not {value}."), name);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
