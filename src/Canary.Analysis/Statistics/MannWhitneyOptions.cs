namespace Canary.Analysis.Statistics;

/// <summary>Options of <see cref="MannWhitney.Test"/>, named after the arguments of R's <c>wilcox.test</c>.</summary>
public sealed class MannWhitneyOptions
{
    /// <summary>Gets or sets the alternative hypothesis, for the canary relative to the baseline.</summary>
    /// <value>The default value is <see cref="Alternative.TwoSided"/>.</value>
    public Alternative Alternative { get; set; } = Alternative.TwoSided;

    /// <summary>Gets or sets the confidence level of the interval, strictly between 0 and 1 (R's <c>conf.level</c>).</summary>
    /// <value>The default value is 0.95.</value>
    public double ConfidenceLevel { get; set; } = 0.95;

    /// <summary>
    /// Gets or sets whether to use the exact distribution of W (R's <c>exact</c>). With ties the normal
    /// approximation is used whatever this says, as in R.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: exact when both samples have fewer than 50 values and there are no ties.</value>
    public bool? Exact { get; set; }

    /// <summary>Gets or sets whether the normal approximation applies a continuity correction (R's <c>correct</c>).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ContinuityCorrection { get; set; } = true;

    /// <summary>Gets or sets the location shift canary − baseline under the null hypothesis (R's <c>mu</c>); must be finite.</summary>
    /// <value>The default value is 0.</value>
    public double Mu { get; set; }

    /// <summary>
    /// Gets or sets whether to reproduce Kayenta's port of <c>wilcox.test</c> (spinnaker/kayenta <c>MannWhitney.scala</c>)
    /// instead of R's.
    /// </summary>
    /// <remarks>
    /// In this mode the test always uses the normal approximation (Kayenta never uses the exact distribution, so
    /// <see cref="Exact"/> is ignored), always applies the continuity correction (<see cref="ContinuityCorrection"/> is ignored),
    /// and computes the Hodges–Lehmann estimate as Kayenta does: Brent's method on the <i>continuity-corrected</i> statistic
    /// over [min(x) − max(y), max(x) − min(y)] without checking the signs at the ends (R sets <c>correct &lt;- FALSE</c> and
    /// uses <c>uniroot</c>). The confidence interval is computed exactly as R computes it (and as Kayenta does). Kayenta only
    /// supports the two-sided alternative. Kayenta computes no p-value; <see cref="MannWhitneyResult.PValue"/> is R's
    /// normal-approximation p-value with the continuity correction.
    /// </remarks>
    /// <value>The default value is <see langword="false"/> (R's behaviour).</value>
    public bool KayentaCompatible { get; set; }
}
