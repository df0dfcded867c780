using System.Globalization;
using Canary.Analysis.Evaluation.Internal;
using Canary.Analysis.Internal;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// What a <see cref="SequentialLatencyEvaluator"/> judges: which requests count as slow (slower than a fixed bucket bound, or
/// than the baseline's <see cref="BaselineQuantile"/> bucket chosen once from the baseline alone), and the sequential test's
/// settings, those of the error-rate check with slow requests in place of errors.
/// </summary>
public sealed class SequentialLatencyCriteria : IValidatable
{
    /// <summary>
    /// Gets or sets the sequential test's settings, as for <see cref="SequentialErrorRateEvaluator"/>, where an "error" is a slow
    /// request: α over every look, endpoint weights, the rate ratios the test is tuned to, the canary requests an endpoint
    /// needs before a Pass, the service-wide share and the shared-outage hedge (a window where both versions are slow together).
    /// <see cref="SequentialErrorRateCriteria.CanaryOnlyMaximumErrorRate"/> must stay null: an endpoint without baseline traffic
    /// is reported and never passed.
    /// </summary>
    /// <value>The default value is the error-rate check's defaults (α 0.05, equal weights, 50 canary requests per endpoint).</value>
    public SequentialErrorRateCriteria Test { get; set; } = new();

    /// <summary>
    /// Gets or sets a fixed bound (an SLO's latency, the <c>le</c> of one of the histogram's buckets): a request slower than it is
    /// slow, on every endpoint, from the first window. Null chooses each endpoint's bound from its baseline
    /// (<see cref="BaselineQuantile"/>). The bound must be one of the buckets of both versions' histograms: an endpoint whose
    /// histogram lacks it adds no evidence in that window, and the check cannot pass.
    /// </summary>
    /// <value>The default value is null: the baseline's <see cref="BaselineQuantile"/> bucket.</value>
    public TimeSpan? LatencyBound { get; set; }

    /// <summary>
    /// Gets or sets the quantile whose bucket becomes an endpoint's bound when <see cref="LatencyBound"/> is null: the upper bound
    /// (<c>le</c>) of the bucket holding the baseline's quantile (the highest finite bound when that is the <c>+Inf</c> bucket).
    /// </summary>
    /// <value>The default value is 0.99: the baseline's p99 bucket.</value>
    public double BaselineQuantile { get; set; } = 0.99;

    /// <summary>
    /// Gets or sets how much of the baseline's history before the check's first window is read to choose the bounds
    /// (when <see cref="LatencyBound"/> is null): the baseline from this long before the first window up to the start of the
    /// window being judged. An endpoint gets its bound at the first look whose history has <see cref="MinimumBaselineRequests"/>
    /// baseline requests on it, and is judged from that window on. Zero reads no history before the first window.
    /// </summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan BaselineHistory { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the baseline requests an endpoint's history needs before its bound is chosen.</summary>
    /// <value>The default value is 200.</value>
    public double MinimumBaselineRequests { get; set; } = 200;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and its value.</exception>
    public void Validate()
    {
        if (Test is null)
        {
            throw new ArgumentException("SequentialLatencyCriteria.Test must not be null.", nameof(Test));
        }

        Test.Validate();
        if (Test.CanaryOnlyMaximumErrorRate is not null)
        {
            throw new ArgumentException("SequentialLatencyCriteria.Test.CanaryOnlyMaximumErrorRate must be null: the latency check judges canary-only endpoints by nothing (they are reported, never passed).", nameof(Test));
        }

        if (LatencyBound is { } bound && bound <= TimeSpan.Zero)
        {
            throw new ArgumentException(Invariant($"SequentialLatencyCriteria.LatencyBound must be null or positive, not {bound}."), nameof(LatencyBound));
        }

        if (!(BaselineQuantile is > 0 and < 1))
        {
            throw new ArgumentException(Invariant($"SequentialLatencyCriteria.BaselineQuantile must be strictly between 0 and 1, not {BaselineQuantile}."), nameof(BaselineQuantile));
        }

        if (BaselineHistory < TimeSpan.Zero)
        {
            throw new ArgumentException(Invariant($"SequentialLatencyCriteria.BaselineHistory must not be negative, not {BaselineHistory}."), nameof(BaselineHistory));
        }

        CriteriaRules.RequireMinimumRequests(MinimumBaselineRequests, nameof(SequentialLatencyCriteria));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
