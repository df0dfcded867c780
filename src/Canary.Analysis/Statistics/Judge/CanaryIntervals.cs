using System.Globalization;

namespace Canary.Analysis.Statistics.Judge;

/// <summary>
/// Kayenta's multi-interval rules (<c>MonitorCanaryTask</c>, <c>GenerateCanaryAnalysisResultTask</c>, orca's
/// <c>AggregateCanaryResultsTask</c>): a run stops at the first interval whose score is at or below the marginal threshold,
/// and only the last score must reach the pass threshold.
/// </summary>
/// <remarks>
/// As in Kayenta, a score exactly equal to the marginal threshold stops the run (the judge calls it Marginal; Kayenta's docs
/// say "meet or exceed", its code requires strictly above). Thresholds are optional on the orchestrator: with neither,
/// every run passes.
/// </remarks>
public static class CanaryIntervals
{
    /// <summary>Returns whether a run continues after an interval with this score: the score is above <paramref name="marginal"/>.</summary>
    /// <param name="score">The interval's score.</param>
    /// <param name="marginal">The marginal threshold, or <see langword="null"/> for none.</param>
    /// <returns><see langword="true"/> when there is no marginal threshold or the score is strictly above it.</returns>
    public static bool ContinuesAfter(double score, double? marginal) => marginal is not double m || score > m;

    /// <summary>Returns whether the final score passes (Kayenta's <c>GenerateCanaryAnalysisResultTask</c>).</summary>
    /// <param name="finalScore">The last interval's score.</param>
    /// <param name="marginal">The marginal threshold, or <see langword="null"/> for none.</param>
    /// <param name="pass">The pass threshold, or <see langword="null"/> for none.</param>
    /// <returns>No thresholds → pass; at or below marginal → fail; no pass threshold → pass; below pass → fail; else pass.</returns>
    public static bool FinalPassed(double finalScore, double? marginal, double? pass)
    {
        if (marginal is null && pass is null)
        {
            return true;
        }

        if (marginal is double m && finalScore <= m)
        {
            return false;
        }

        return pass is not double p || finalScore >= p;
    }

    /// <summary>Applies the interval rules to the scores of a run, in order.</summary>
    /// <param name="scores">The interval scores, first to last.</param>
    /// <param name="marginal">The marginal threshold, or <see langword="null"/> for none.</param>
    /// <param name="pass">The pass threshold, or <see langword="null"/> for none.</param>
    /// <returns>Whether the run passed, where it stopped and why.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scores"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A score is NaN; the message names its index.</exception>
    public static IntervalOutcome Evaluate(IReadOnlyList<double> scores, double? marginal, double? pass)
    {
        ArgumentNullException.ThrowIfNull(scores);
        for (int i = 0; i < scores.Count; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "scores[{0}] is NaN.", i), nameof(scores));
            }
        }

        if (scores.Count == 0)
        {
            return new IntervalOutcome(false, 0, false, double.NaN, "No interval was judged");
        }

        for (int i = 0; i < scores.Count - 1; i++)
        {
            if (!ContinuesAfter(scores[i], marginal))
            {
                return new IntervalOutcome(
                    false,
                    i + 1,
                    true,
                    scores[i],
                    string.Format(CultureInfo.InvariantCulture, "Interval {0}: canary score {1:0.##} is not above the marginal score threshold {2:0.##}", i + 1, scores[i], marginal));
            }
        }

        double final = scores[^1];
        bool passed = FinalPassed(final, marginal, pass);
        string reason = passed
            ? string.Format(CultureInfo.InvariantCulture, "Final canary score {0:0.##} met the thresholds (pass {1}, marginal {2})", final, Show(pass), Show(marginal))
            : string.Format(CultureInfo.InvariantCulture, "Final canary score {0:0.##} did not meet the thresholds (pass {1}, marginal {2})", final, Show(pass), Show(marginal));
        return new IntervalOutcome(passed, scores.Count, false, final, reason);
    }

    private static string Show(double? value) => value is double v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "none";
}
