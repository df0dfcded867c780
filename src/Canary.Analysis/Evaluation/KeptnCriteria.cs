using Canary.Analysis.Statistics.Keptn;

namespace Canary.Analysis.Evaluation;

/// <summary>What <see cref="KeptnEvaluator"/> scores: a Keptn SLO, Keptn's scoring options and the previous evaluations relative criteria compare with.</summary>
public sealed class KeptnCriteria
{
    /// <summary>Gets or sets the SLO: objectives with pass and warning criteria, weights, key SLIs and total score targets.</summary>
    /// <value>The default value is an SLO without objectives (which never passes).</value>
    public KeptnSlo Slo { get; set; } = new();

    /// <summary>Gets or sets Keptn's scoring options (its quirks; reproduced by default).</summary>
    /// <value>The default value is Keptn's behaviour.</value>
    public KeptnScoringOptions Options { get; set; } = new();

    /// <summary>
    /// Gets previous evaluations, oldest first, that relative criteria (<c>&lt;=+10%</c>) compare with. When the check also reads
    /// the baseline, the baseline's values are the latest previous evaluation.
    /// </summary>
    public IList<KeptnPreviousEvaluation> History { get; } = [];

    /// <summary>Checks every setting, every criterion included.</summary>
    /// <exception cref="ArgumentException">A setting or a criterion is not valid; the message names the objective and the value.</exception>
    public void Validate()
    {
        if (Slo is null || Options is null)
        {
            throw new ArgumentException("KeptnCriteria.Slo and KeptnCriteria.Options must not be null.");
        }

        if (History.Any(h => h is null))
        {
            throw new ArgumentException("KeptnCriteria.History must not hold null.", nameof(History));
        }

        // Scoring nothing parses and checks every objective and criterion, as the real evaluation will.
        _ = KeptnScoring.Evaluate(Slo, new Dictionary<string, double>(StringComparer.Ordinal), null, Options);
    }
}
