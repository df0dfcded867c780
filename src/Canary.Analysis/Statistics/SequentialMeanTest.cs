using System.Globalization;
using Canary.Analysis.Statistics.Internal;

namespace Canary.Analysis.Statistics;

/// <summary>
/// An always-valid sequential test of "the canary's mean equals the baseline's" for roughly normal measurements
/// (latencies averaged per interval, durations): a mixture SPRT that may look after every interval while the
/// probability of ever rejecting a healthy canary stays ≤ α.
/// </summary>
/// <remarks>
/// At a look with n_c and n_b observations and difference of means d, with V = σ²(1/n_c + 1/n_b), the likelihood ratio
/// of a shift δ against no shift, averaged over δ ~ N(0, τ²), is √(V/(V+τ²)) · exp(τ²d² / (2V(V+τ²))) (the mixture SPRT of
/// Robbins and of Johari et al.); for a one-sided alternative the prior is the half-normal on that side, which multiplies
/// it by 2Φ(±τd/√(V(V+τ²))). It is a test martingale when σ is the true standard deviation, so by Ville's inequality the
/// chance it ever reaches 1/α under no shift is at most α. σ must be given (e.g. the baseline's standard deviation over a
/// long history): a plug-in estimate from the same data makes the guarantee approximate.
/// </remarks>
public static class SequentialMeanTest
{
    /// <summary>Evaluates the test on the cumulative looks so far.</summary>
    /// <param name="cumulativeLooks">Counts and means since the start at each look, in time order.</param>
    /// <param name="options">The options; <see cref="SequentialMeanTestOptions.StandardDeviation"/> is required.</param>
    /// <returns>The e-values, the crossing look, the always-valid p-value and a reason.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid, or a look has a negative count, a count that decreases, or a non-finite mean.</exception>
    public static SequentialMeanTestResult Evaluate(IReadOnlyList<SequentialMeanLook> cumulativeLooks, SequentialMeanTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(cumulativeLooks);
        ArgumentNullException.ThrowIfNull(options);
        var alpha = options.Alpha;
        var sigma = options.StandardDeviation;
        var tau = double.IsNaN(options.MixtureScale) ? sigma : options.MixtureScale;
        if (!(alpha is > 0 and < 1))
        {
            throw new ArgumentException(Invariant($"Alpha must be strictly between 0 and 1, not {alpha}."), nameof(options));
        }

        if (!(sigma > 0 && double.IsFinite(sigma)))
        {
            throw new ArgumentException(Invariant($"StandardDeviation must be a positive finite number, not {sigma}."), nameof(options));
        }

        if (!(tau > 0 && double.IsFinite(tau)))
        {
            throw new ArgumentException(Invariant($"MixtureScale must be a positive finite number, not {tau}."), nameof(options));
        }

        Counts.CheckAlternative(options.Alternative, nameof(options));
        var eValues = new double[cumulativeLooks.Count];
        int? crossing = null;
        long previousCanary = 0, previousBaseline = 0;
        var difference = double.NaN;
        for (var i = 0; i < cumulativeLooks.Count; i++)
        {
            var look = cumulativeLooks[i];
            if (look.CanaryCount < previousCanary || look.BaselineCount < previousBaseline)
            {
                throw new ArgumentException(Invariant($"Look {i + 1} has fewer observations than look {i}: {look}."), nameof(cumulativeLooks));
            }

            if (look.CanaryCount > 0 && look.BaselineCount > 0 && !(double.IsFinite(look.CanaryMean) && double.IsFinite(look.BaselineMean)))
            {
                throw new ArgumentException(Invariant($"Look {i + 1} has a non-finite mean: {look}."), nameof(cumulativeLooks));
            }

            (previousCanary, previousBaseline) = (look.CanaryCount, look.BaselineCount);
            if (look.CanaryCount == 0 || look.BaselineCount == 0)
            {
                eValues[i] = 1;
                continue;
            }

            difference = look.CanaryMean - look.BaselineMean;
            var variance = sigma * sigma * ((1.0 / look.CanaryCount) + (1.0 / look.BaselineCount));
            var t2 = tau * tau;
            var logTwoSided = (0.5 * Math.Log(variance / (variance + t2))) + (t2 * difference * difference / (2 * variance * (variance + t2)));
            var z = tau * difference / Math.Sqrt(variance * (variance + t2));
            var logE = options.Alternative switch
            {
                Alternative.Greater => logTwoSided + Math.Log(2 * StandardNormal.Cdf(z)),
                Alternative.Less => logTwoSided + Math.Log(2 * StandardNormal.Cdf(-z)),
                _ => logTwoSided,
            };
            eValues[i] = Math.Exp(logE);
            if (crossing is null && eValues[i] >= 1 / alpha)
            {
                crossing = i + 1;
            }
        }

        var reason = cumulativeLooks.Count == 0
            ? "no looks yet: e-value 1"
            : Invariant($"difference of means {difference:G4} after {cumulativeLooks.Count} look(s); max e-value {(eValues.Length == 0 ? 1 : Math.Max(1, eValues.Max())):G3} {(crossing is { } c ? $"≥ {1 / alpha:G3} = 1/α at look {c}: the means differ" : $"< {1 / alpha:G3} = 1/α: no evidence of a shift yet")}");
        return new SequentialMeanTestResult(eValues, alpha, crossing, difference, reason);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
