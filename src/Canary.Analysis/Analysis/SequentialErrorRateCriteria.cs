using System.Globalization;
using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Analysis;

/// <summary>What a <see cref="SequentialErrorRateCheck"/> judges and how strictly.</summary>
public sealed class SequentialErrorRateCriteria
{
    /// <summary>
    /// Gets or sets how endpoints are weighted: α is split among judged endpoints in proportion to their weight (a
    /// weighted Bonferroni split), so an endpoint that matters more is allowed to fail sooner.
    /// </summary>
    /// <value>The default value is <see cref="EndpointWeights.Equal"/>. Traffic weighting is not supported.</value>
    public EndpointWeights Weights { get; set; } = EndpointWeights.Equal();

    /// <summary>Gets or sets the probability, over every look of the whole check, of failing a canary whose error rates equal the baseline's.</summary>
    /// <value>The default value is 0.05.</value>
    public double Alpha { get; set; } = 0.05;

    /// <summary>Gets or sets the smallest error-rate ratio (canary / baseline) the test is tuned to detect.</summary>
    /// <value>The default value is 1.25.</value>
    public double MinimumRateRatio { get; set; } = 1.25;

    /// <summary>Gets or sets the largest error-rate ratio the test is tuned to detect.</summary>
    /// <value>The default value is 100.</value>
    public double MaximumRateRatio { get; set; } = 100;

    /// <summary>Gets or sets the canary requests every judged endpoint needs before the check can pass (it may fail at any count).</summary>
    /// <value>The default value is 50.</value>
    public double MinimumRequestsPerEndpoint { get; set; } = 50;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and its value.</exception>
    public void Validate()
    {
        if (Weights is null || Weights.Mode == EndpointWeightingMode.TrafficWeighted)
        {
            throw new ArgumentException("SequentialErrorRateCriteria.Weights must be explicit or equal weights (traffic weighting would let busy endpoints take all of α).");
        }

        if (!(Alpha is > 0 and < 1))
        {
            throw new ArgumentException(Invariant($"SequentialErrorRateCriteria.Alpha must be strictly between 0 and 1, not {Alpha}."));
        }

        if (!(MinimumRateRatio > 1 && MaximumRateRatio > MinimumRateRatio && double.IsFinite(MaximumRateRatio)))
        {
            throw new ArgumentException(Invariant($"SequentialErrorRateCriteria needs 1 < MinimumRateRatio < MaximumRateRatio < ∞, not {MinimumRateRatio} and {MaximumRateRatio}."));
        }

        if (!double.IsFinite(MinimumRequestsPerEndpoint) || MinimumRequestsPerEndpoint < 1)
        {
            throw new ArgumentException(Invariant($"SequentialErrorRateCriteria.MinimumRequestsPerEndpoint must be a finite number ≥ 1, not {MinimumRequestsPerEndpoint}."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
