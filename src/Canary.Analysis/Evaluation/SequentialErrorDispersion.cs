using System.Text.Json.Serialization;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// What a <see cref="SequentialErrorRateEvaluator"/> has accumulated about how one endpoint's errors cluster: sums over its
/// windows (outages shared by most endpoints left out) of both versions' errors and requests <em>together</em> — never the split between the
/// versions — from which the variance-to-mean ratio of a window's errors (the dispersion, the size-biased mean cluster size
/// of errors that arrive in bursts; 1 for independent errors) is estimated. An immutable value, part of
/// <see cref="SequentialEndpointEvidence"/>.
/// </summary>
public sealed record SequentialErrorDispersion
{
    /// <summary>Gets the windows counted (with requests, not shared outages).</summary>
    public long Windows { get; init; }

    /// <summary>Gets both versions' errors in the windows counted.</summary>
    public long Errors { get; init; }

    /// <summary>Gets both versions' requests in the windows counted.</summary>
    public long Requests { get; init; }

    /// <summary>Gets the sum over the windows counted of the square of a window's errors (both versions).</summary>
    public double ErrorSquares { get; init; }

    /// <summary>Gets the sum over the windows counted of a window's errors times its requests (both versions).</summary>
    public double ErrorRequestProducts { get; init; }

    /// <summary>Gets the sum over the windows counted of the square of a window's requests (both versions).</summary>
    public double RequestSquares { get; init; }

    /// <summary>
    /// Gets the sum of squared deviations of the windows' errors from the endpoint's pooled rate times their requests,
    /// Σ (e − r·n)² with r = <see cref="Errors"/> / <see cref="Requests"/>: about (windows − 1) × dispersion × mean errors.
    /// </summary>
    [JsonIgnore]
    internal double SquaredDeviations => Math.Max(0, ErrorSquares - (2 * Rate * ErrorRequestProducts) + (Rate * Rate * RequestSquares));

    /// <summary>Gets what <see cref="SquaredDeviations"/> would be for independent (Poisson) errors: errors × (windows − 1) / windows.</summary>
    [JsonIgnore]
    internal double PoissonDeviations => Windows > 1 ? Errors * (Windows - 1) / (double)Windows : 0;

    /// <summary>
    /// Gets the variance <see cref="SquaredDeviations"/> would have for independent (Poisson) errors at the pooled rate:
    /// Σ (2μ² + μ) with μ = r·n, the window's expected errors.
    /// </summary>
    [JsonIgnore]
    internal double PoissonDeviationsVariance => (2 * Rate * Rate * RequestSquares) + Errors;

    /// <summary>
    /// Gets the dispersion if every window's errors were one burst: the size-biased mean of a window's errors, Σe² / Σe (1
    /// without errors) — what can be said of clustering before it can be estimated.
    /// </summary>
    [JsonIgnore]
    internal double WindowsAsBursts => Errors == 0 ? 1 : Math.Max(1, ErrorSquares / Errors);

    /// <summary>Gets the pooled error rate of the windows counted (0 without requests).</summary>
    [JsonIgnore]
    private double Rate => Requests == 0 ? 0 : (double)Errors / Requests;

    /// <summary>Adds one window's totals (both versions together); a window without requests adds nothing.</summary>
    internal SequentialErrorDispersion Add(long errors, long requests) => requests == 0 ? this : this with
    {
        Windows = Windows + 1,
        Errors = Errors + errors,
        Requests = Requests + requests,
        ErrorSquares = ErrorSquares + ((double)errors * errors),
        ErrorRequestProducts = ErrorRequestProducts + ((double)errors * requests),
        RequestSquares = RequestSquares + ((double)requests * requests),
    };

    /// <summary>
    /// Whether the sums could have been reached: non-negative and finite, 0 ≤ errors ≤ requests within the endpoint's totals,
    /// Σe ≤ Σe² ≤ Σe·n ≤ Σn² (each window's errors are whole and at most its requests), (Σn)² ≤ windows × Σn², and nothing
    /// without a window.
    /// </summary>
    internal bool IsConsistent(long errorsAtMost, long requestsAtMost)
    {
        const double Tolerance = 1e-9;
        bool AtMost(double a, double b) => a <= b + (Tolerance * Math.Abs(b));
        var sums = new[] { ErrorSquares, ErrorRequestProducts, RequestSquares };
        return Windows >= 0 && sums.All(double.IsFinite)
            && Errors >= 0 && Errors <= Requests && Errors <= errorsAtMost && Requests <= requestsAtMost
            && (Windows > 0 || (Requests == 0 && sums.All(s => s == 0)))
            && (Windows == 0 || Requests >= Windows)
            && AtMost(Errors, ErrorSquares) && AtMost(ErrorSquares, ErrorRequestProducts) && AtMost(ErrorRequestProducts, RequestSquares)
            && AtMost((double)Requests * Requests, Windows * RequestSquares);
    }
}
