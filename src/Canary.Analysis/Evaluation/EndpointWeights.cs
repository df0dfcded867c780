using System.Collections;
using System.Globalization;

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
