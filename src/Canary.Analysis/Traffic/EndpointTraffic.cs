using Canary.Analysis.Traffic.Internal;

namespace Canary.Analysis.Traffic;

/// <summary>The requests one endpoint of one version served in a window, by status class.</summary>
/// <remarks>
/// Counts are doubles because Prometheus' <c>increase()</c> extrapolates to the window's edges. A count that
/// is NaN or infinite (a broken series), or above <see cref="MaximumExactCount"/> (2⁵³, where a double stops counting
/// one by one and a conversion to a whole number saturates), is kept: <see cref="HasValidCounts"/> is then false and
/// evaluators treat the endpoint as having no usable data, never as healthy.
/// </remarks>
public sealed class EndpointTraffic
{
    private readonly double[] _byClass;

    /// <summary>Creates the traffic of an endpoint from counts per status class.</summary>
    /// <param name="endpoint">The endpoint name (a route, a path, …).</param>
    /// <param name="countsByClass">Requests per status class; classes not given count zero.</param>
    /// <param name="successRule">Which classes count as successful.</param>
    /// <param name="latency">The endpoint's latency histogram in seconds, when it was read.</param>
    /// <param name="latencySummary">The endpoint's latency summary in seconds, when the source has only pre-computed quantiles.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public EndpointTraffic(string endpoint, IReadOnlyDictionary<StatusClass, double> countsByClass, SuccessRule successRule = SuccessRule.Status2xx, LatencyHistogram? latency = null, LatencySummary? latencySummary = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(countsByClass);
        _byClass = new double[6];
        foreach (var (statusClass, count) in countsByClass)
        {
            if (count < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(countsByClass), count, $"Endpoint '{endpoint}': the {statusClass} count must not be negative.");
            }

            _byClass[(int)statusClass] += count;
        }

        Endpoint = endpoint;
        SuccessRule = successRule;
        Latency = latency;
        LatencySummary = latencySummary;
        double requests = 0, successes = 0;
        for (var i = 0; i < _byClass.Length; i++)
        {
            requests += _byClass[i];
            if (SuccessRules.IsSuccess(successRule, (StatusClass)i))
            {
                successes += _byClass[i];
            }
        }

        Requests = requests;
        Successes = successes;
    }

    /// <summary>Creates the traffic of an endpoint from a request and a success count.</summary>
    /// <param name="endpoint">The endpoint name.</param>
    /// <param name="requests">All requests.</param>
    /// <param name="successes">Successful requests (at most <paramref name="requests"/>); failures are counted as 5xx.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or successes exceed requests.</exception>
    public EndpointTraffic(string endpoint, double requests, double successes)
        : this(endpoint, Split(endpoint, requests, successes))
    {
    }

    /// <summary>Gets the endpoint name.</summary>
    public string Endpoint { get; }

    /// <summary>Gets all requests in the window.</summary>
    public double Requests { get; }

    /// <summary>Gets the successful requests under <see cref="SuccessRule"/>.</summary>
    public double Successes { get; }

    /// <summary>Gets the failed requests (<see cref="Requests"/> − <see cref="Successes"/>).</summary>
    public double Failures => Requests - Successes;

    /// <summary>Gets the latency histogram in seconds, or null when latency was not read.</summary>
    public LatencyHistogram? Latency { get; }

    /// <summary>Gets the latency summary (pre-computed quantiles) in seconds, or null; used where there is no histogram.</summary>
    public LatencySummary? LatencySummary { get; }

    /// <summary>Gets the rule the successes were counted with.</summary>
    public SuccessRule SuccessRule { get; }

    /// <summary>The largest request count that is still exact: 2⁵³ (9 007 199 254 740 992). Beyond it counts are not valid.</summary>
    public const double MaximumExactCount = 9_007_199_254_740_992d;

    /// <summary>Gets a value indicating whether every count is a finite number no larger than <see cref="MaximumExactCount"/>.</summary>
    public bool HasValidCounts => double.IsFinite(Requests) && Requests <= MaximumExactCount;

    /// <summary>Gets the success rate (0–1), or NaN when there were no requests or the counts are not valid.</summary>
    public double SuccessRate => Requests > 0 && HasValidCounts ? Successes / Requests : double.NaN;

    /// <summary>Gets the requests of one status class.</summary>
    /// <param name="statusClass">The class.</param>
    /// <returns>The count.</returns>
    public double this[StatusClass statusClass] => _byClass[(int)statusClass];

    /// <inheritdoc />
    public override string ToString() => $"{Endpoint}: {Successes}/{Requests}";

    private static Dictionary<StatusClass, double> Split(string endpoint, double requests, double successes)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (requests < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(requests), requests, $"Endpoint '{endpoint}': requests must not be negative.");
        }

        if (successes < 0 || successes > requests)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"Endpoint '{endpoint}': successes must be between 0 and the {requests} requests.");
        }

        return new Dictionary<StatusClass, double> { [StatusClass.Success] = successes, [StatusClass.ServerError] = requests - successes };
    }
}
