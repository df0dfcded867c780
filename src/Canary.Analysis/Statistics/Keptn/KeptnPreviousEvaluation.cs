namespace Canary.Analysis.Statistics.Keptn;

/// <summary>A previous evaluation of the same service: its result and the SLI values that were retrieved successfully.</summary>
public sealed class KeptnPreviousEvaluation
{
    /// <summary>Creates a previous evaluation.</summary>
    /// <param name="result">Its result.</param>
    /// <param name="values">The SLI values retrieved successfully (failed retrievals are left out).</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    public KeptnPreviousEvaluation(KeptnResult result, IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Result = result;
        Values = new Dictionary<string, double>(values, StringComparer.Ordinal);
    }

    /// <summary>Gets the result of the evaluation.</summary>
    public KeptnResult Result { get; }

    /// <summary>Gets the SLI values retrieved successfully.</summary>
    public IReadOnlyDictionary<string, double> Values { get; }
}
