using System.Globalization;

namespace Canary.Analysis.Statistics.Judge;

/// <summary>The pass and marginal score thresholds of a canary judgement (Kayenta's <c>scoreThresholds</c>, 0–100).</summary>
public sealed class ScoreThresholds
{
    /// <summary>Creates thresholds.</summary>
    /// <param name="pass">The score a canary needs to pass, in [0, 100].</param>
    /// <param name="marginal">The score below which a canary fails, in [0, <paramref name="pass"/>].</param>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is not finite or out of range; the message names it and its value.</exception>
    public ScoreThresholds(double pass, double marginal)
    {
        if (!(pass >= 0 && pass <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(pass), pass, string.Format(CultureInfo.InvariantCulture, "The pass threshold must be in [0, 100]; it is {0}.", pass));
        }

        if (!(marginal >= 0 && marginal <= pass))
        {
            throw new ArgumentOutOfRangeException(nameof(marginal), marginal, string.Format(CultureInfo.InvariantCulture, "The marginal threshold must be in [0, pass = {0}]; it is {1}.", pass, marginal));
        }

        Pass = pass;
        Marginal = marginal;
    }

    /// <summary>Gets the score a canary needs to pass.</summary>
    public double Pass { get; }

    /// <summary>Gets the score below which a canary fails.</summary>
    public double Marginal { get; }

    /// <summary>Classifies a score as Kayenta's <c>ThresholdScoreClassifier</c>: ≥ pass → Pass, ≥ marginal → Marginal, else Fail.</summary>
    /// <param name="score">The score.</param>
    /// <returns>The classification.</returns>
    public ScoreClassification Classify(double score) =>
        score >= Pass ? ScoreClassification.Pass : score >= Marginal ? ScoreClassification.Marginal : ScoreClassification.Fail;
}
