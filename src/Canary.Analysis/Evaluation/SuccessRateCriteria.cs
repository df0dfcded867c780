using System.Globalization;
using Canary.Analysis.Evaluation.Internal;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// What a canary's success rate must achieve: a weighted rate over endpoints of at least
/// <see cref="MinimumSuccessRate"/>, each judged endpoint with at least <see cref="MinimumRequestsPerEndpoint"/>
/// requests, and optional per-endpoint floors.
/// </summary>
public sealed class SuccessRateCriteria : ITrafficCriteria
{
    /// <summary>Gets or sets how endpoints are weighted.</summary>
    /// <value>The default value is <see cref="EndpointWeights.Equal"/>: every endpoint counts the same.</value>
    public EndpointWeights Weights { get; set; } = EndpointWeights.Equal();

    /// <summary>Gets or sets the minimum weighted success rate (0–1).</summary>
    /// <value>The default value is 0.95.</value>
    public double MinimumSuccessRate { get; set; } = 0.95;

    /// <summary>
    /// Gets or sets the fewest requests a judged endpoint needs before its rate counts; below it the endpoint is
    /// insufficient and the check Inconclusive (unless it fails whatever that endpoint's rate). In
    /// <see cref="EndpointWeightingMode.TrafficWeighted"/> mode the minimum applies to the total instead.
    /// </summary>
    /// <value>The default value is 50.</value>
    public double MinimumRequestsPerEndpoint { get; set; } = 50;

    /// <summary>Gets or sets a floor every judged endpoint's own rate must reach, or null for none.</summary>
    /// <value>The default value is null.</value>
    public double? MinimumEndpointSuccessRate { get; set; }

    /// <summary>Gets floors for single endpoints (0–1), taking precedence over <see cref="MinimumEndpointSuccessRate"/>.</summary>
    public IDictionary<string, double> EndpointMinimumSuccessRates { get; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets a value indicating whether data the source marked as a partial response
    /// (<see cref="Traffic.DataGapKind.PartialResponse"/>: Thanos or Mimir answering without one of its stores) may still be judged.
    /// Unreachable targets and missing data always make the result Inconclusive.
    /// </summary>
    /// <value>The default value is false: a snapshot with any gap is Inconclusive, naming the gaps.</value>
    public bool AllowPartialResponses { get; set; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and its value.</exception>
    public void Validate()
    {
        CriteriaRules.RequireWeights(Weights, nameof(SuccessRateCriteria));

        CheckRate(MinimumSuccessRate, nameof(MinimumSuccessRate));
        CriteriaRules.RequireMinimumRequests(MinimumRequestsPerEndpoint, nameof(SuccessRateCriteria));

        if (MinimumEndpointSuccessRate is { } floor)
        {
            CheckRate(floor, nameof(MinimumEndpointSuccessRate));
        }

        foreach (var (endpoint, rate) in EndpointMinimumSuccessRates)
        {
            CheckRate(rate, $"{nameof(EndpointMinimumSuccessRates)}[\"{endpoint}\"]");
        }
    }

    internal double? FloorOf(string endpoint) =>
        EndpointMinimumSuccessRates.TryGetValue(endpoint, out var floor) ? floor : MinimumEndpointSuccessRate;

    private static void CheckRate(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0 || value > 1)
        {
            throw new ArgumentException(Invariant($"SuccessRateCriteria.{name} must be between 0 and 1, not {value}."), name);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
