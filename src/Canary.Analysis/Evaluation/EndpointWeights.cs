using System.Collections;
using System.Globalization;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// How much each endpoint matters when success rates or latencies are combined:
/// <c>new EndpointWeights { ["/pay"] = 0.8, ["/search"] = 0.2 }</c>. Weights are relative: they are normalised
/// by their sum over the judged endpoints, so <c>0.8/0.2</c> and <c>4/1</c> mean the same.
/// </summary>
/// <remarks>
/// An endpoint listed with a positive weight is <em>expected</em>: when it has no traffic the check is
/// Inconclusive, never a pass. An endpoint listed with weight 0 is left out in every mode.
/// </remarks>
public sealed class EndpointWeights : IEnumerable<KeyValuePair<string, double>>
{
    private readonly Dictionary<string, double> _weights = new(StringComparer.Ordinal);
    private double _defaultWeight;

    /// <summary>Gets or sets how endpoints are weighted.</summary>
    /// <value>The default value is <see cref="EndpointWeightingMode.Explicit"/>.</value>
    public EndpointWeightingMode Mode { get; set; } = EndpointWeightingMode.Explicit;

    /// <summary>Gets or sets the weight of endpoints not listed, in <see cref="EndpointWeightingMode.Explicit"/> mode.</summary>
    /// <value>The default value is 0: only listed endpoints are judged.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double DefaultWeight
    {
        get => _defaultWeight;
        set => _defaultWeight = CheckWeight(value, "DefaultWeight");
    }

    /// <summary>Gets the number of listed endpoints.</summary>
    public int Count => _weights.Count;

    /// <summary>Gets the listed endpoint names.</summary>
    public IEnumerable<string> Endpoints => _weights.Keys;

    /// <summary>Gets or sets the weight of an endpoint (0 leaves it out).</summary>
    /// <param name="endpoint">The endpoint name, as the endpoint label spells it.</param>
    /// <returns>The listed weight, or the weight the endpoint gets when it is not listed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The weight is negative, NaN or infinite.</exception>
    public double this[string endpoint]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(endpoint);
            return _weights.TryGetValue(endpoint, out var weight) ? weight : UnlistedWeight;
        }

        set
        {
            ArgumentNullException.ThrowIfNull(endpoint);
            _weights[endpoint] = CheckWeight(value, $"[\"{endpoint}\"]");
        }
    }

    private double UnlistedWeight => Mode == EndpointWeightingMode.Explicit ? _defaultWeight : 1;

    /// <summary>Creates weights that count every endpoint the same.</summary>
    /// <returns>Weights in <see cref="EndpointWeightingMode.Equal"/> mode.</returns>
    public static EndpointWeights Equal() => new() { Mode = EndpointWeightingMode.Equal };

    /// <summary>Creates weights that count every endpoint as much as its traffic (the plain aggregate).</summary>
    /// <returns>Weights in <see cref="EndpointWeightingMode.TrafficWeighted"/> mode.</returns>
    public static EndpointWeights TrafficWeighted() => new() { Mode = EndpointWeightingMode.TrafficWeighted };

    /// <summary>Adds or replaces an endpoint's weight (collection-initializer form).</summary>
    /// <param name="endpoint">The endpoint name.</param>
    /// <param name="weight">The weight (0 leaves it out).</param>
    public void Add(string endpoint, double weight) => this[endpoint] = weight;

    /// <summary>Whether an endpoint is listed (with any weight, including 0).</summary>
    /// <param name="endpoint">The endpoint name.</param>
    /// <returns>True when listed.</returns>
    public bool IsListed(string endpoint) => _weights.ContainsKey(endpoint);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => _weights.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// The one resolution of weights every evaluator (and the policy linter) uses: which endpoints are judged and with what
    /// weight, given the endpoints seen. The result lists every endpoint seen, then every expected endpoint (listed with a
    /// positive weight) not seen, in that order.
    /// </summary>
    /// <param name="traffic">
    /// The endpoints seen, each with its traffic (requests in the window, or a rate), in the order they should be listed;
    /// repeated names count once (the first). The traffic only matters in <see cref="EndpointWeightingMode.TrafficWeighted"/>
    /// mode, where it is the weight: there an endpoint with no traffic is excluded unless expected, and a value that is not
    /// finite (counts that are not valid) leaves the endpoint judged with weight 0.
    /// </param>
    /// <returns>Each endpoint with its raw weight, its normalised share and whether it is excluded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="traffic"/> is null.</exception>
    public IReadOnlyList<WeightedEndpoint> Resolve(IEnumerable<KeyValuePair<string, double>> traffic)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        var seen = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in traffic)
        {
            seen.TryAdd(name, value);
        }

        foreach (var name in ExpectedEndpoints())
        {
            seen.TryAdd(name, 0);
        }

        var byTraffic = Mode == EndpointWeightingMode.TrafficWeighted;
        var resolved = new (string Name, double Weight, bool Excluded)[seen.Count];
        var total = 0.0;
        var i = 0;
        foreach (var (name, value) in seen)
        {
            double weight;
            bool excluded;
            if (byTraffic)
            {
                // Invalid counts and expected-but-silent endpoints stay judged (and insufficient) with no weight.
                var listed = _weights.TryGetValue(name, out var listedWeight);
                var valid = double.IsFinite(value);
                excluded = (listed && listedWeight == 0) || (valid && value <= 0 && !(listed && listedWeight > 0));
                weight = excluded || !valid ? 0 : value;
            }
            else
            {
                weight = StaticWeightOf(name);
                excluded = weight <= 0;
            }

            weight = excluded ? 0 : weight;
            total += weight;
            resolved[i++] = (name, weight, excluded);
        }

        var result = new WeightedEndpoint[resolved.Length];
        for (i = 0; i < resolved.Length; i++)
        {
            var (name, weight, excluded) = resolved[i];
            result[i] = new WeightedEndpoint(name, weight, excluded || total <= 0 ? 0 : weight / total, excluded);
        }

        return result;
    }

    /// <summary>Resolves the weights of a snapshot's endpoints (their requests are the traffic; counts that are not valid count as not finite).</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>Each endpoint with its raw weight, its normalised share and whether it is excluded (see <see cref="Resolve(IEnumerable{KeyValuePair{string, double}})"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    public IReadOnlyList<WeightedEndpoint> Resolve(TrafficSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Resolve(snapshot.Endpoints.Select(e => KeyValuePair.Create(e.Key, e.Value.HasValidCounts ? e.Value.Requests : double.NaN)));
    }

    /// <summary>The weight an endpoint gets in modes other than traffic weighting; 0 means not judged.</summary>
    internal double StaticWeightOf(string endpoint)
    {
        if (_weights.TryGetValue(endpoint, out var listed))
        {
            return Mode == EndpointWeightingMode.Explicit ? listed : listed > 0 ? 1 : 0;
        }

        return UnlistedWeight;
    }

    /// <summary>The endpoints that are expected to have traffic: listed with a positive weight.</summary>
    internal IEnumerable<string> ExpectedEndpoints() => _weights.Where(w => w.Value > 0).Select(w => w.Key);

    private static double CheckWeight(double value, string what)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, string.Create(CultureInfo.InvariantCulture, $"EndpointWeights{(what.StartsWith('[') ? what : "." + what)} must be a finite number ≥ 0, not {value}."));
        }

        return value;
    }
}
