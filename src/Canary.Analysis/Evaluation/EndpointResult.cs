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
    /// <param name="contribution">The endpoint's part of the combined value (for a success rate weight × rate); NaN when insufficient.</param>
    /// <param name="limit">The endpoint's own limit, if any: a success-rate floor or a latency ceiling.</param>
    /// <param name="baselineValue">The baseline's value for the same endpoint, NaN when not compared.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is null.</exception>
    public EndpointResult(string endpoint, EndpointStatus status, double requests, double successes, double value, double weight, double contribution, double? limit, double baselineValue = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        Status = status;
        Requests = requests;
        Successes = successes;
        Value = value;
        Weight = weight;
        Contribution = contribution;
        Limit = limit;
        BaselineValue = baselineValue;
    }

    /// <summary>Gets the endpoint name.</summary>
    public string Endpoint { get; }

    /// <summary>Gets how the endpoint fared.</summary>
    public EndpointStatus Status { get; }

    /// <summary>Gets the requests in the window.</summary>
    public double Requests { get; }

    /// <summary>Gets the successful requests.</summary>
    public double Successes { get; }

    /// <summary>Gets the endpoint's own value (a success rate 0–1, a latency in seconds), NaN without usable data.</summary>
    public double Value { get; }

    /// <summary>Gets the normalised weight: the endpoint's share of the judged weight (0–1).</summary>
    public double Weight { get; }

    /// <summary>Gets the endpoint's part of the combined value (for a success rate weight × rate); NaN when insufficient.</summary>
    public double Contribution { get; }

    /// <summary>
    /// Gets the endpoint's own limit, if any, on the same scale as <see cref="Value"/>: a success-rate floor or a latency ceiling
    /// (seconds). A sequential check states it only for an endpoint it judges against a fixed rate (the success-rate floor
    /// 1 − <see cref="SequentialErrorRateCriteria.CanaryOnlyMaximumErrorRate"/> of a canary-only endpoint); an endpoint it
    /// compares with its baseline has none (null): read <see cref="BaselineValue"/>, and the evidence against its boundary
    /// (<see cref="EvidenceValue"/>, <see cref="EvidenceBoundary"/>).
    /// </summary>
    public double? Limit { get; }

    /// <summary>Gets the baseline's value for the same endpoint, NaN when the check did not compare with a baseline.</summary>
    public double BaselineValue { get; }

    /// <summary>
    /// Gets, for a check that proves non-inferiority (<see cref="SequentialErrorRateEvaluator"/>), the always-valid upper bound on
    /// how far the canary's success rate on this endpoint is below the baseline's (0.01 = 1 point; negative when the canary is
    /// shown better), at the endpoint's share of α; NaN when not computed.
    /// </summary>
    /// <value>The default value is NaN.</value>
    public double SuccessRateDropBound { get; init; } = double.NaN;

    /// <summary>Gets what <see cref="EvidenceValue"/> is: an e-value, a p-value, or none for a check without per-endpoint evidence.</summary>
    /// <value>The default value is <see cref="EvidenceKind.None"/>.</value>
    public EvidenceKind EvidenceKind { get; init; }

    /// <summary>
    /// Gets the endpoint's own statistical evidence of a regression, to read against <see cref="EvidenceBoundary"/>; NaN for a
    /// check without per-endpoint evidence. For a sequential check (<see cref="SequentialErrorRateEvaluator"/>,
    /// <see cref="SequentialLatencyEvaluator"/>) the endpoint's largest e-value so far (against the canary-only limit when it
    /// has one, else against its baseline): the endpoint is <see cref="EndpointStatus.LimitBreached"/> once it reaches
    /// <see cref="EvidenceBoundary"/> (the check's exact group-sequential tests may mark it earlier, with the evidence below).
    /// </summary>
    /// <value>The default value is NaN.</value>
    public double EvidenceValue { get; init; } = double.NaN;

    /// <summary>
    /// Gets the boundary <see cref="EvidenceValue"/> is compared with; NaN without evidence. For a sequential check
    /// 1 / (s × w × α): s the endpoints' share of the combined evidence (1 − the service-wide share), w the endpoint's weight, α
    /// the α of the e-values; the endpoint alone takes the check's combined evidence to its boundary 1/α when its e-value reaches it.
    /// </summary>
    /// <value>The default value is NaN.</value>
    public double EvidenceBoundary { get; init; } = double.NaN;
}
