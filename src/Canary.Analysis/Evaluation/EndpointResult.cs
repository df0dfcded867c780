namespace Canary.Analysis.Evaluation;

/// <summary>One endpoint's row in a check's breakdown.</summary>
public sealed class EndpointResult
{
    /// <summary>Creates a row.</summary>
    /// <param name="endpoint">The endpoint name.</param>
    /// <param name="status">How the endpoint fared.</param>
    /// <param name="requests">The requests in the window (NaN when the counts were invalid).</param>
    /// <param name="successes">The successful requests.</param>
    /// <param name="value">The endpoint's own value (its success rate), NaN without usable data.</param>
    /// <param name="weight">The endpoint's normalised weight (its share of the judged weight, 0–1).</param>
    /// <param name="contribution">Weight × value: the endpoint's part of the combined value; NaN when insufficient.</param>
    /// <param name="floor">The endpoint's own floor, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is null.</exception>
    public EndpointResult(string endpoint, EndpointStatus status, double requests, double successes, double value, double weight, double contribution, double? floor)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        Status = status;
        Requests = requests;
        Successes = successes;
        Value = value;
        Weight = weight;
        Contribution = contribution;
        Floor = floor;
    }

    /// <summary>Gets the endpoint name.</summary>
    public string Endpoint { get; }

    /// <summary>Gets how the endpoint fared.</summary>
    public EndpointStatus Status { get; }

    /// <summary>Gets the requests in the window.</summary>
    public double Requests { get; }

    /// <summary>Gets the successful requests.</summary>
    public double Successes { get; }

    /// <summary>Gets the endpoint's own value (success rate 0–1), NaN without usable data.</summary>
    public double Value { get; }

    /// <summary>Gets the normalised weight: the endpoint's share of the judged weight (0–1).</summary>
    public double Weight { get; }

    /// <summary>Gets weight × value, the endpoint's part of the combined value; NaN when insufficient.</summary>
    public double Contribution { get; }

    /// <summary>Gets the endpoint's own floor, if any.</summary>
    public double? Floor { get; }
}
