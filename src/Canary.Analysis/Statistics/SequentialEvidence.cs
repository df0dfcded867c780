using System.Globalization;
using System.Text.Json.Serialization;
using Canary.Analysis.Internal;

namespace Canary.Analysis.Statistics;

/// <summary>
/// Always-valid sequential evidence as an immutable value: a mixture, over a prior of alternatives, of likelihood ratios
/// accumulated interval by interval. Each kind's <c>Add</c> returns the evidence after one more interval; equal evidence is
/// <c>==</c>, and it serializes with System.Text.Json (source generation), so it can be saved and resumed.
/// </summary>
/// <remarks>Under the null hypothesis the e-value is a nonnegative supermartingale with mean at most 1: it reaches 1/α with
/// probability at most α, whatever the number of looks (Ville's inequality).</remarks>
public abstract record SequentialEvidence
{
    private readonly ValueArray<double> _logLr;

    /// <summary>Starts or restores the evidence.</summary>
    /// <exception cref="ArgumentException">The log likelihood ratios do not match the prior, or the e-values are not 0 ≤ e-value ≤ max e-value.</exception>
    private protected SequentialEvidence(IReadOnlyList<double>? logLikelihoodRatios, int priorSize, double eValue, double maxEValue)
    {
        _logLr = logLikelihoodRatios is null ? ValueArray<double>.Own(new double[priorSize]) : ValueArray<double>.From(logLikelihoodRatios);
        if (_logLr.Count != priorSize || !(eValue >= 0) || !(maxEValue >= eValue))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Saved evidence needs {priorSize} log likelihood ratios and 0 ≤ e-value ≤ max e-value; it has {_logLr.Count}, {eValue} and {maxEValue}."), nameof(logLikelihoodRatios));
        }

        (EValue, MaxEValue) = (eValue, maxEValue);
    }

    /// <summary>Continues <paramref name="previous"/> with new log likelihood ratios (owned) and their e-value.</summary>
    private protected SequentialEvidence(SequentialEvidence previous, double[] logLikelihoodRatios, double eValue)
    {
        _logLr = ValueArray<double>.Own(logLikelihoodRatios);
        (EValue, MaxEValue) = (eValue, Math.Max(previous.MaxEValue, eValue));
    }

    /// <summary>Gets the log likelihood ratio of every alternative of the prior, in the prior's order.</summary>
    public IReadOnlyList<double> LogLikelihoodRatios => _logLr;

    /// <summary>Gets the current e-value (1 before any interval).</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public double EValue { get; }

    /// <summary>Gets the largest e-value so far.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public double MaxEValue { get; }

    /// <summary>Gets a copy of the log likelihood ratios, to update.</summary>
    private protected double[] CopyOfLogLikelihoodRatios() => _logLr.Span.ToArray();
}
