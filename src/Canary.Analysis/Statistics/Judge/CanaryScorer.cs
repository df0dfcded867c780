using System.Globalization;

namespace Canary.Analysis.Statistics.Judge;

/// <summary>
/// Kayenta's weighted-sum scorer (<c>WeightedSumScorer</c>, <c>ScoringHelper</c>, <c>ThresholdScoreClassifier</c>): group
/// scores, group weights, the critical and no-data short-circuits, and the pass/marginal thresholds.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Muted metrics are left out (they stay in <see cref="CanaryScore.Metrics"/>).</item>
/// <item>A metric counts in every group it lists. A group's score is 100 · Pass / (Pass + High + Low + NoDataFail); NoData,
/// Error and Inconclusive count in neither. A group with nothing counted scores 0 but counts as 100 in the summary.</item>
/// <item>Groups without a configured weight share 100 − Σ(configured weights) equally. The summary is Σ score · weight / 100,
/// rounded to 2 decimals. As in Kayenta, weights are not required to total 100 and weights of groups without results are
/// ignored.</item>
/// <item>A critical metric that is not Pass (High, Low, NoData, …), or NoData on 50 % or more of the metrics, makes the
/// summary 0.</item>
/// <item>Not in Kayenta: a critical <see cref="MetricClassification.Inconclusive"/> metric does not zero the score (too few
/// values is not evidence of a failure), and any inconclusive metric turns a Pass or Marginal into
/// <see cref="ScoreClassification.Inconclusive"/>; a Fail stays a Fail. Inconclusive only occurs when
/// <see cref="JudgeOptions.MinimumSampleSize"/> is set, so with Kayenta's defaults the scorer is Kayenta's.</item>
/// </list>
/// </remarks>
public static class CanaryScorer
{
    /// <summary>Kayenta's <c>NODATA_THRESHOLD</c>: the percentage of NoData metrics that zeroes the score.</summary>
    public const double NoDataThresholdPercent = 50;

    /// <summary>Scores metric results.</summary>
    /// <param name="results">The metric results.</param>
    /// <param name="thresholds">The pass and marginal thresholds.</param>
    /// <param name="groupWeights">Configured group weights (Kayenta's <c>classifier.groupWeights</c>); <see langword="null"/> for none.</param>
    /// <returns>The summary score, its classification and the group scores.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="results"/>, an element of it, or <paramref name="thresholds"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A group weight is negative or not finite; the message names the group and the value.</exception>
    public static CanaryScore Score(IReadOnlyList<MetricResult> results, ScoreThresholds thresholds, IReadOnlyDictionary<string, double>? groupWeights = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(thresholds);
        groupWeights ??= new Dictionary<string, double>();
        foreach (KeyValuePair<string, double> w in groupWeights)
        {
            if (!(double.IsFinite(w.Value) && w.Value >= 0))
            {
                throw new ArgumentException(
                    string.Format(CultureInfo.InvariantCulture, "The weight of group '{0}' must be finite and ≥ 0; it is {1}.", w.Key, w.Value),
                    nameof(groupWeights));
            }
        }

        var active = new List<MetricResult>(results.Count);
        foreach (MetricResult r in results)
        {
            ArgumentNullException.ThrowIfNull(r, nameof(results));
            if (!r.IsMuted)
            {
                active.Add(r);
            }
        }

        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (MetricResult r in active)
        {
            names.UnionWith(r.Groups);
        }

        double configuredSum = groupWeights.Values.Sum();
        int unweighted = names.Count(n => !groupWeights.ContainsKey(n));
        double share = unweighted == 0 ? 0 : (100 - configuredSum) / unweighted;
        var groups = new List<GroupScore>(names.Count);
        double summary = 0;
        foreach (string name in names)
        {
            int pass = 0;
            int counted = 0;
            foreach (MetricResult r in active)
            {
                if (!r.Groups.Contains(name))
                {
                    continue;
                }

                switch (r.Classification)
                {
                    case MetricClassification.Pass:
                        pass++;
                        counted++;
                        break;
                    case MetricClassification.High or MetricClassification.Low or MetricClassification.NoDataFail:
                        counted++;
                        break;
                }
            }

            bool noData = counted == 0;
            double score = noData ? 0 : (double)pass / counted * 100;
            double weight = groupWeights.TryGetValue(name, out double configured) ? configured : share;
            groups.Add(new GroupScore(name, score, noData, weight, pass, counted));
            summary += (noData ? 100 : score) * weight / 100;
        }

        summary = Math.Round(summary, 2, MidpointRounding.AwayFromZero);
        MetricResult? criticalFailure = active.FirstOrDefault(r => r.IsCritical && r.Classification is not (MetricClassification.Pass or MetricClassification.Inconclusive));
        int noDataCount = active.Count(r => r.Classification == MetricClassification.NoData);
        int inconclusive = active.Count(r => r.Classification == MetricClassification.Inconclusive);
        string reason;
        if (criticalFailure is not null)
        {
            summary = 0;
            reason = "Canary Failed: " + criticalFailure.Reason;
        }
        else if (active.Count > 0 && (double)noDataCount / active.Count * 100 >= NoDataThresholdPercent)
        {
            summary = 0;
            reason = "Canary Failed: 50% or more metrics returned NODATA";
        }
        else
        {
            int passing = active.Count(r => r.Classification == MetricClassification.Pass);
            reason = string.Format(CultureInfo.InvariantCulture, "{0} of {1} metrics pass; score {2:0.##} (pass {3:0.##}, marginal {4:0.##})", passing, active.Count, summary, thresholds.Pass, thresholds.Marginal);
        }

        ScoreClassification classification = thresholds.Classify(summary);
        if (inconclusive > 0 && classification != ScoreClassification.Fail)
        {
            classification = ScoreClassification.Inconclusive;
            reason += string.Format(CultureInfo.InvariantCulture, "; {0} metric(s) have too few values, so the canary cannot pass yet", inconclusive);
        }

        return new CanaryScore(summary, classification, reason, groups, results);
    }
}
