using System.Globalization;
using Canary.Analysis.Statistics.Judge;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// How <see cref="JudgeEvaluator"/> scores canary and baseline series with Kayenta's classifier and scorer: the score
/// thresholds, the group weights, the classifier's options and the values each series needs.
/// </summary>
public sealed class JudgeCriteria
{
    /// <summary>Gets or sets the pass and marginal score thresholds.</summary>
    /// <value>The default value is pass 95, marginal 75 (spinnaker.io's starting points).</value>
    public ScoreThresholds Thresholds { get; set; } = new(95, 75);

    /// <summary>Gets the configured group weights (Kayenta's <c>classifier.groupWeights</c>); groups not listed share what is left of 100.</summary>
    public IDictionary<string, double> GroupWeights { get; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets the classifier's options (tolerance, confidence level, magnitude gate). Whatever they say, an empty
    /// series is never a pass (<see cref="JudgeOptions.NoDataUnderReplace"/> is always on here) and the sample size is at
    /// least <see cref="MinimumDataPoints"/>.
    /// </summary>
    /// <value>The default value is Kayenta's defaults (tolerance 0.25, confidence 0.98).</value>
    public JudgeOptions Options { get; set; } = new();

    /// <summary>
    /// Gets or sets the values each side of a metric needs (after NaN and outlier handling) before it is compared; fewer make
    /// the metric, and so the check, Inconclusive (Kayenta compares 3 values; its orchestrator only warns below 50).
    /// </summary>
    /// <value>The default value is 50.</value>
    public int MinimumDataPoints { get; set; } = 50;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and its value.</exception>
    public void Validate()
    {
        if (Thresholds is null || Options is null)
        {
            throw new ArgumentException("JudgeCriteria.Thresholds and JudgeCriteria.Options must not be null.");
        }

        if (MinimumDataPoints < 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"JudgeCriteria.MinimumDataPoints must be at least 1, not {MinimumDataPoints}."), nameof(MinimumDataPoints));
        }

        foreach (var (group, weight) in GroupWeights)
        {
            if (!double.IsFinite(weight) || weight < 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"JudgeCriteria.GroupWeights[\"{group}\"] must be a finite number ≥ 0, not {weight}."), nameof(GroupWeights));
            }
        }
    }

    /// <summary>The classifier options the evaluator runs with: the user's, with the fail-safe floor on the sample and no pass on empty series.</summary>
    internal JudgeOptions EffectiveOptions() => new()
    {
        Tolerance = Options.Tolerance,
        ConfidenceLevel = Options.ConfidenceLevel,
        MagnitudeGate = Options.MagnitudeGate,
        MinimumSampleSize = Math.Max(MinimumDataPoints, Options.MinimumSampleSize),
        NoDataUnderReplace = true,
    };
}
