using System.Globalization;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Policies;

/// <summary>
/// What <see cref="PolicyLinter"/> needs to know about where a policy runs: the scrape interval, the replicas, the
/// expected traffic, the regression the analysis must be able to see, and the users' peak hours. Every setting has a
/// default, so <c>new PolicyLintContext()</c> lints with the problem statement's numbers; rules whose inputs are missing
/// (no replica count, no traffic, no peak window) are skipped.
/// </summary>
public sealed class PolicyLintContext
{
    /// <summary>Gets the interval at which the metrics are scraped.</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan ScrapeInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets the number of data points a statistical check needs (rule CNY003).</summary>
    /// <value>The default value is <see cref="SampleSize.DefaultDataPoints"/> (50).</value>
    public int MinimumDataPoints { get; init; } = SampleSize.DefaultDataPoints;

    /// <summary>Gets the smallest canary weight in percent that gives enough data (rule CNY001).</summary>
    /// <value>The default value is 5.</value>
    public int MinimumWeight { get; init; } = 5;

    /// <summary>Gets the largest canary weight in percent before too many users see a bad release (rule CNY001).</summary>
    /// <value>The default value is 10.</value>
    public int MaximumWeight { get; init; } = 10;

    /// <summary>Gets the rollout's desired replica count, or null to skip the replica rule (CNY007).</summary>
    /// <value>The default value is null.</value>
    public int? Replicas { get; init; }

    /// <summary>Gets the surge allowed in pods, or null for Argo's default (25 % of replicas rounded up).</summary>
    /// <value>The default value is null.</value>
    public int? MaxSurge { get; init; }

    /// <summary>
    /// Gets a value indicating whether a traffic router (service mesh, ingress) sets the weight; then any weight is
    /// achievable and rule CNY007 does not apply.
    /// </summary>
    /// <value>The default value is false: pod counts set the weight.</value>
    public bool TrafficRouted { get; init; }

    /// <summary>Gets how far, in percentage points, the effective weight may be from the requested one (rule CNY007).</summary>
    /// <value>The default value is 1 point.</value>
    public double WeightTolerance { get; init; } = 1;

    /// <summary>
    /// Gets the expected requests per second of each endpoint at peak, in total across both versions. The rarest
    /// endpoint the analysis judges decides whether a step is long enough (rule CNY006); empty skips that rule.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, double> RequestsPerSecond { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>Gets the baseline's error rate (0–1) the power calculation starts from.</summary>
    /// <value>The default value is 0.005 (0.5 % errors).</value>
    public double BaselineErrorRate { get; init; } = 0.005;

    /// <summary>Gets the canary error rate (0–1) the analysis must be able to detect on the rarest judged endpoint.</summary>
    /// <value>The default value is 0.05 (5 % errors: the slow-to-see regression of the design's simulations).</value>
    public double ErrorRateToDetect { get; init; } = 0.05;

    /// <summary>Gets the false-alarm rate of the power calculation.</summary>
    /// <value>The default value is 0.05.</value>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Gets the probability of detecting the regression that a step must reach.</summary>
    /// <value>The default value is 0.8.</value>
    public double Power { get; init; } = 0.8;

    /// <summary>Gets the total analysis time a policy should reach, so that it sees a whole daily cycle (rule CNY004).</summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan MinimumTotalAnalysis { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Gets the start of the users' peak hours (time of day), or null to skip rule CNY005.</summary>
    /// <value>The default value is null.</value>
    public TimeOnly? PeakStart { get; init; }

    /// <summary>Gets the end of the users' peak hours (time of day; before <see cref="PeakStart"/> when the peak spans midnight).</summary>
    /// <value>The default value is null.</value>
    public TimeOnly? PeakEnd { get; init; }

    /// <summary>
    /// Gets the time of day (in the peak window's time zone) at which the rollout is planned to start, or null when it
    /// is not known; then only one uninterrupted analysis of at least 24 hours plus the peak's length covers the peak
    /// whatever the start.
    /// </summary>
    /// <value>The default value is null.</value>
    public TimeOnly? PlannedStart { get; init; }

    /// <summary>
    /// Gets a value indicating whether the team's tooling exposes the skip-analysis (and promote) commands of
    /// <see cref="CanaryRollout.Apply"/>. When false, rule CNY008 warns that an urgent fix must sit through the whole analysis.
    /// </summary>
    /// <value>The default value is true.</value>
    public bool HasSkipPath { get; init; } = true;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range, or only one end of the peak window is set; the message names it and its value.</exception>
    public void Validate()
    {
        Require(ScrapeInterval > TimeSpan.Zero, $"ScrapeInterval must be positive, not {ScrapeInterval}.");
        Require(MinimumDataPoints > 0, $"MinimumDataPoints must be positive, not {MinimumDataPoints}.");
        Require(MinimumWeight is >= 0 and <= 100 && MaximumWeight is >= 0 and <= 100 && MinimumWeight <= MaximumWeight, $"MinimumWeight ({MinimumWeight}) and MaximumWeight ({MaximumWeight}) must be percentages with MinimumWeight ≤ MaximumWeight.");
        Require(Replicas is null or >= 0, $"Replicas must not be negative, not {Replicas}.");
        Require(MaxSurge is null or >= 0, $"MaxSurge must not be negative, not {MaxSurge}.");
        Require(double.IsFinite(WeightTolerance) && WeightTolerance >= 0, $"WeightTolerance must be a finite number ≥ 0, not {WeightTolerance}.");
        Require(RequestsPerSecond is not null, $"RequestsPerSecond must not be null.");
        foreach (var (endpoint, rate) in RequestsPerSecond ?? new Dictionary<string, double>())
        {
            Require(double.IsFinite(rate) && rate >= 0, $"RequestsPerSecond[\"{endpoint}\"] must be a finite number ≥ 0, not {rate}.");
        }

        Require(BaselineErrorRate is > 0 and < 1, $"BaselineErrorRate must be in (0, 1), not {BaselineErrorRate}.");
        Require(ErrorRateToDetect is > 0 and < 1 && ErrorRateToDetect > BaselineErrorRate, $"ErrorRateToDetect must be in (0, 1) and above BaselineErrorRate ({BaselineErrorRate}), not {ErrorRateToDetect}.");
        Require(Alpha is > 0 and < 1, $"Alpha must be in (0, 1), not {Alpha}.");
        Require(Power is > 0 and < 1, $"Power must be in (0, 1), not {Power}.");
        Require(MinimumTotalAnalysis >= TimeSpan.Zero, $"MinimumTotalAnalysis must not be negative, not {MinimumTotalAnalysis}.");
        Require(PeakStart.HasValue == PeakEnd.HasValue, $"PeakStart ({PeakStart}) and PeakEnd ({PeakEnd}) must be set together.");
        Require(PeakStart is null || PeakStart != PeakEnd, $"The peak window must not be empty ({PeakStart}–{PeakEnd}).");
    }

    private static void Require(bool condition, FormattableString message)
    {
        if (!condition)
        {
            throw new ArgumentException("PolicyLintContext." + message.ToString(CultureInfo.InvariantCulture));
        }
    }
}
