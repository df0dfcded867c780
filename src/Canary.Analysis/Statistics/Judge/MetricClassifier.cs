using System.Globalization;
using Canary.Analysis.Statistics.Judge.Internal;

namespace Canary.Analysis.Statistics.Judge;

/// <summary>
/// Kayenta's NetflixACAJudge metric classifier (<c>MannWhitneyClassifier</c>): NaN handling, optional IQR outlier removal,
/// then a two-sided Mann–Whitney confidence interval for the shift canary − baseline, compared with ±tolerance·|HL| and gated
/// by an effect size.
/// </summary>
/// <remarks>
/// <para>With default <see cref="JudgeOptions"/> the classification is Kayenta's, in Kayenta's order of checks:</para>
/// <list type="number">
/// <item>An empty side: <see cref="MetricClassification.NoDataFail"/> for a non-critical metric that must have data, else
/// <see cref="MetricClassification.NoData"/> (critical when the metric is); under <see cref="NanStrategy.Replace"/>, Pass.</item>
/// <item>Identical sorted values, or one distinct value overall: Pass, mean ratio 1.</item>
/// <item>High when CI.lower &gt; tolerance·|HL| and the effect size is NaN or ≥ the allowed increase (direction Increase or
/// Either); Low mirrors it with CI.upper &lt; −tolerance·|HL| and ≤ the allowed decrease. Otherwise Pass.</item>
/// <item>A critical metric's High/Low is critical only when its effect size is NaN or reaches the critical threshold.</item>
/// <item>Any exception while comparing: <see cref="MetricClassification.Error"/>, not critical.</item>
/// </list>
/// <para>
/// Differences from Kayenta that hold whatever the options: when both sides are constant Kayenta adds unseeded Gaussian noise
/// (σ = value·1e-5), so its result is random; here the shift of two constant series is known exactly (estimate and a
/// zero-width interval at the difference), so the classification is deterministic and equals Kayenta's almost-sure outcome.
/// Every compared result carries R's <c>wilcox.test</c> p-value (Kayenta computes none).
/// </para>
/// </remarks>
public static class MetricClassifier
{
    /// <summary>Classifies one metric.</summary>
    /// <param name="metric">The metric configuration.</param>
    /// <param name="canary">The canary (Kayenta's "experiment") values.</param>
    /// <param name="baseline">The baseline (Kayenta's "control") values.</param>
    /// <param name="options">The judge options; <see langword="null"/> means Kayenta's defaults.</param>
    /// <returns>The classification with its numbers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="metric"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A field of <paramref name="metric"/> or <paramref name="options"/> is out of range; the message names it and its value.</exception>
    public static MetricResult Classify(MetricConfig metric, ReadOnlySpan<double> canary, ReadOnlySpan<double> baseline, JudgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        options ??= new JudgeOptions();
        Validate(metric, options);

        double[] x = Transform(canary, metric);
        double[] y = Transform(baseline, metric);
        double canaryMean = x.Length == 0 ? double.NaN : Descriptive.Mean(x);
        double baselineMean = y.Length == 0 ? double.NaN : Descriptive.Mean(y);
        string name = metric.Name;

        if (x.Length == 0 || y.Length == 0)
        {
            if (metric.NanStrategy == NanStrategy.Replace && !options.NoDataUnderReplace)
            {
                return new MetricResult(name, metric.Groups, MetricClassification.Pass, $"Missing data for {name}; passed because the NaN strategy is replace (as Kayenta)", false, metric.Muted)
                {
                    CanaryCount = x.Length,
                    BaselineCount = y.Length,
                    CanaryMean = canaryMean,
                    BaselineMean = baselineMean,
                };
            }

            bool fail = metric.MustHaveData && !metric.Critical;
            return new MetricResult(
                name,
                metric.Groups,
                fail ? MetricClassification.NoDataFail : MetricClassification.NoData,
                $"Missing data for {name}",
                !fail && metric.Critical,
                metric.Muted)
            {
                CanaryCount = x.Length,
                BaselineCount = y.Length,
                CanaryMean = canaryMean,
                BaselineMean = baselineMean,
            };
        }

        double ratio = Descriptive.MeanRatio(canaryMean, baselineMean);
        MannWhitneyResult r;
        MannWhitneyResult k;
        try
        {
            r = MannWhitney.Test(x, y);
            k = MannWhitney.Test(x, y, new MannWhitneyOptions { ConfidenceLevel = options.ConfidenceLevel, KayentaCompatible = true });
        }
        catch (ArgumentException e)
        {
            return new MetricResult(name, metric.Groups, MetricClassification.Error, $"Metric Classification Failed: {e.Message}", false, metric.Muted)
            {
                CanaryCount = x.Length,
                BaselineCount = y.Length,
                CanaryMean = canaryMean,
                BaselineMean = baselineMean,
                MeanRatio = ratio,
            };
        }

        double cles = r.Statistic / ((double)x.Length * y.Length);
        double effect = metric.EffectSizeMeasure == EffectSizeMeasure.Cles ? cles : ratio;

        MetricResult Make(MetricClassification classification, string reason, bool critical, double meanRatio, double effectSize) =>
            new(name, metric.Groups, classification, reason, critical, metric.Muted)
            {
                Estimate = k.Estimate,
                ConfidenceInterval = k.ConfidenceInterval,
                PValue = r.PValue,
                CanaryMean = canaryMean,
                BaselineMean = baselineMean,
                MeanRatio = meanRatio,
                EffectSize = effectSize,
                CanaryCount = x.Length,
                BaselineCount = y.Length,
            };

        if (options.MinimumSampleSize > 0 && (x.Length < options.MinimumSampleSize || y.Length < options.MinimumSampleSize))
        {
            return Make(
                MetricClassification.Inconclusive,
                string.Format(CultureInfo.InvariantCulture, "Too few values for {0}: {1} canary and {2} baseline, at least {3} each needed", name, x.Length, y.Length, options.MinimumSampleSize),
                metric.Critical,
                ratio,
                effect);
        }

        double[] sx = (double[])x.Clone();
        double[] sy = (double[])y.Clone();
        Array.Sort(sx);
        Array.Sort(sy);
        if (sx.AsSpan().SequenceEqual(sy))
        {
            return Make(MetricClassification.Pass, $"The {name} data are identical", false, 1.0, metric.DefaultEffect);
        }

        if (sx[0] == sx[^1] && sy[0] == sy[^1] && sx[0] == sy[0])
        {
            return Make(MetricClassification.Pass, $"All {name} values are the same", false, 1.0, metric.DefaultEffect);
        }

        double estimate = k.Estimate;
        double lower = k.ConfidenceInterval.Lower;
        double upper = k.ConfidenceInterval.Upper;
        double bound = options.Tolerance * Math.Abs(estimate);
        bool magnitude = options.MagnitudeGate == 0 || Math.Abs(estimate) >= options.MagnitudeGate * Math.Abs(baselineMean);
        double allowedIncrease = metric.AllowedIncrease ?? metric.DefaultEffect;
        double allowedDecrease = metric.AllowedDecrease ?? metric.DefaultEffect;
        bool isHigh = metric.Direction is MetricDirection.Increase or MetricDirection.Either
            && lower > bound
            && (double.IsNaN(effect) || effect >= allowedIncrease)
            && magnitude;
        bool isLow = metric.Direction is MetricDirection.Decrease or MetricDirection.Either
            && upper < -bound
            && (double.IsNaN(effect) || effect <= allowedDecrease)
            && magnitude;

        if (isHigh || isLow)
        {
            // A High is critical from its critical increase up, a Low from its critical decrease down.
            bool critical = metric.Critical && (double.IsNaN(effect) || (isHigh
                ? effect >= (metric.CriticalIncrease ?? metric.DefaultEffect)
                : effect <= (metric.CriticalDecrease ?? metric.DefaultEffect)));
            string reason = isHigh
                ? string.Format(CultureInfo.InvariantCulture, "The {0} canary is higher than the baseline: CI lower {1:G6} > {2:G6}·|{3:G6}|, effect size {4:G6}", name, lower, options.Tolerance, estimate, effect)
                : string.Format(CultureInfo.InvariantCulture, "The {0} canary is lower than the baseline: CI upper {1:G6} < -{2:G6}·|{3:G6}|, effect size {4:G6}", name, upper, options.Tolerance, estimate, effect);
            return Make(isHigh ? MetricClassification.High : MetricClassification.Low, reason, critical, ratio, effect);
        }

        string why = options.MagnitudeGate > 0 && !magnitude
            ? string.Format(CultureInfo.InvariantCulture, "; the shift {0:G6} is below {1:G6} of the baseline mean {2:G6}", estimate, options.MagnitudeGate, baselineMean)
            : string.Empty;
        return Make(
            MetricClassification.Pass,
            string.Format(CultureInfo.InvariantCulture, "No significant {0} difference: CI [{1:G6}, {2:G6}], HL {3:G6}, effect size {4:G6}{5}", name, lower, upper, estimate, effect, why),
            false,
            ratio,
            effect);
    }

    private static double[] Transform(ReadOnlySpan<double> values, MetricConfig metric)
    {
        var cleaned = new List<double>(values.Length);
        foreach (double v in values)
        {
            if (!double.IsNaN(v))
            {
                cleaned.Add(v);
            }
            else if (metric.NanStrategy == NanStrategy.Replace)
            {
                cleaned.Add(0.0);
            }
        }

        double[] result = cleaned.ToArray();
        return metric.OutlierStrategy == OutlierStrategy.Remove
            ? IqrDetector.Remove(result, metric.OutlierFactor, reduceSensitivity: true)
            : result;
    }

    private static void Validate(MetricConfig metric, JudgeOptions options)
    {
        if (metric.Name is null)
        {
            throw new ArgumentException("MetricConfig.Name must not be null.", nameof(metric));
        }

        if (metric.Groups is null)
        {
            throw new ArgumentException($"MetricConfig.Groups of metric '{metric.Name}' must not be null.", nameof(metric));
        }

        Require(double.IsFinite(metric.OutlierFactor) && metric.OutlierFactor >= 0, nameof(metric), metric.Name, "OutlierFactor", metric.OutlierFactor, "a finite value ≥ 0");
        RequireFinite(metric.AllowedIncrease, metric.Name, nameof(MetricConfig.AllowedIncrease));
        RequireFinite(metric.AllowedDecrease, metric.Name, nameof(MetricConfig.AllowedDecrease));
        RequireFinite(metric.CriticalIncrease, metric.Name, nameof(MetricConfig.CriticalIncrease));
        RequireFinite(metric.CriticalDecrease, metric.Name, nameof(MetricConfig.CriticalDecrease));
        Require(metric.Direction is MetricDirection.Either or MetricDirection.Increase or MetricDirection.Decrease, nameof(metric), metric.Name, "Direction", (double)metric.Direction, "a defined MetricDirection");
        Require(double.IsFinite(options.Tolerance) && options.Tolerance >= 0, nameof(options), null, "Tolerance", options.Tolerance, "a finite value ≥ 0");
        Require(options.ConfidenceLevel > 0 && options.ConfidenceLevel < 1, nameof(options), null, "ConfidenceLevel", options.ConfidenceLevel, "strictly between 0 and 1");
        Require(options.MinimumSampleSize >= 0, nameof(options), null, "MinimumSampleSize", options.MinimumSampleSize, "≥ 0");
        Require(double.IsFinite(options.MagnitudeGate) && options.MagnitudeGate >= 0, nameof(options), null, "MagnitudeGate", options.MagnitudeGate, "a finite value ≥ 0");
    }

    private static void RequireFinite(double? value, string metric, string field)
    {
        if (value is double v && !double.IsFinite(v))
        {
            Require(false, nameof(metric), metric, field, v, "finite");
        }
    }

    private static void Require(bool condition, string parameter, string? metric, string field, double value, string requirement)
    {
        if (!condition)
        {
            string owner = metric is null ? "JudgeOptions" : $"MetricConfig '{metric}'";
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture, "{0}: {1} must be {2}; it is {3}.", owner, field, requirement, value),
                parameter);
        }
    }
}
