using System.Globalization;
using Canary.Analysis.Evaluation.Internal;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// What a canary's per-endpoint latency must achieve: a quantile (or the mean) under an absolute limit, and/or
/// within a tolerance of the baseline's (<c>canary ≤ baseline × (1 + MaximumIncrease) + Slack</c>), on
/// endpoints carrying at least <see cref="MinimumPassingWeight"/> of the weight.
/// </summary>
public sealed class LatencyCriteria : ITrafficCriteria
{
    /// <summary>Gets or sets how endpoints are weighted.</summary>
    /// <value>The default value is <see cref="EndpointWeights.Equal"/>.</value>
    public EndpointWeights Weights { get; set; } = EndpointWeights.Equal();

    /// <summary>Gets or sets which figure is judged.</summary>
    /// <value>The default value is <see cref="LatencyMeasure.Quantile"/>.</value>
    public LatencyMeasure Measure { get; set; } = LatencyMeasure.Quantile;

    /// <summary>Gets or sets the quantile judged when <see cref="Measure"/> is <see cref="LatencyMeasure.Quantile"/> (0.99 = p99).</summary>
    /// <value>The default value is 0.99.</value>
    public double Quantile { get; set; } = 0.99;

    /// <summary>Gets or sets the absolute limit for every judged endpoint without its own, or null for none.</summary>
    /// <value>The default value is null.</value>
    public TimeSpan? MaximumLatency { get; set; }

    /// <summary>Gets absolute limits for single endpoints, taking precedence over <see cref="MaximumLatency"/>.</summary>
    public IDictionary<string, TimeSpan> EndpointMaximumLatencies { get; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets how much slower than the baseline the canary may be, as a fraction (0.2 = 20 % slower),
    /// or null to not compare with a baseline.
    /// </summary>
    /// <value>The default value is null.</value>
    public double? MaximumIncrease { get; set; }

    /// <summary>
    /// Gets or sets the absolute slack added to the baseline-relative limit, so that tiny absolute differences on
    /// fast endpoints (1 ms → 1.5 ms) do not fail.
    /// </summary>
    /// <value>The default value is 5 ms.</value>
    public TimeSpan Slack { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Gets or sets the fewest requests an endpoint needs, in the canary and in the baseline when compared.</summary>
    /// <value>The default value is 50.</value>
    public double MinimumRequestsPerEndpoint { get; set; } = 50;

    /// <summary>
    /// Gets or sets the share of the judged weight (0–1) that must be within its limits. 1 means every judged
    /// endpoint; 0.95 tolerates breaches on endpoints carrying up to 5 % of the weight.
    /// </summary>
    /// <value>The default value is 1.</value>
    public double MinimumPassingWeight { get; set; } = 1;

    /// <summary>
    /// Gets or sets a value indicating whether data the source marked as a partial response
    /// (<see cref="Traffic.DataGapKind.PartialResponse"/>: Thanos or Mimir answering without one of its stores) may still be judged.
    /// Unreachable targets and missing data always make the result Inconclusive.
    /// </summary>
    /// <value>The default value is false: a snapshot with any gap is Inconclusive, naming the gaps.</value>
    public bool AllowPartialResponses { get; set; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range, or no limit is set; the message names it and its value.</exception>
    public void Validate()
    {
        CriteriaRules.RequireWeights(Weights, nameof(LatencyCriteria));

        if (!Enum.IsDefined(Measure))
        {
            throw new ArgumentException($"LatencyCriteria.Measure '{Measure}' is not a known measure.", nameof(Measure));
        }

        if (Measure == LatencyMeasure.Quantile && !(Quantile is >= 0 and <= 1))
        {
            throw new ArgumentException(Invariant($"LatencyCriteria.Quantile must be between 0 and 1, not {Quantile}."), nameof(Quantile));
        }

        if (MaximumLatency is { } maximum && maximum <= TimeSpan.Zero)
        {
            throw new ArgumentException(Invariant($"LatencyCriteria.MaximumLatency must be positive, not {maximum}."), nameof(MaximumLatency));
        }

        foreach (var (endpoint, limit) in EndpointMaximumLatencies)
        {
            if (limit <= TimeSpan.Zero)
            {
                throw new ArgumentException(Invariant($"LatencyCriteria.EndpointMaximumLatencies[\"{endpoint}\"] must be positive, not {limit}."), nameof(EndpointMaximumLatencies));
            }
        }

        if (MaximumIncrease is { } increase && !(double.IsFinite(increase) && increase >= 0))
        {
            throw new ArgumentException(Invariant($"LatencyCriteria.MaximumIncrease must be a finite fraction ≥ 0, not {increase}."), nameof(MaximumIncrease));
        }

        if (Slack < TimeSpan.Zero)
        {
            throw new ArgumentException(Invariant($"LatencyCriteria.Slack must not be negative, not {Slack}."), nameof(Slack));
        }

        CriteriaRules.RequireMinimumRequests(MinimumRequestsPerEndpoint, nameof(LatencyCriteria));

        if (!(MinimumPassingWeight is >= 0 and <= 1))
        {
            throw new ArgumentException(Invariant($"LatencyCriteria.MinimumPassingWeight must be between 0 and 1, not {MinimumPassingWeight}."), nameof(MinimumPassingWeight));
        }

        if (MaximumLatency is null && EndpointMaximumLatencies.Count == 0 && MaximumIncrease is null)
        {
            throw new ArgumentException("LatencyCriteria needs a limit: set MaximumLatency, EndpointMaximumLatencies or MaximumIncrease.", nameof(MaximumLatency));
        }
    }

    internal double? AbsoluteLimitOf(string endpoint) =>
        EndpointMaximumLatencies.TryGetValue(endpoint, out var limit) ? limit.TotalSeconds : MaximumLatency?.TotalSeconds;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
