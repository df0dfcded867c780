using System.Globalization;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// Opt-in use of the baseline's own history (its error rate over the hours before the canary started) by
/// <see cref="SequentialErrorRateEvaluator"/>: a sparse endpoint's baseline has almost no errors within a short step, so the
/// split between concurrent versions has little power there, while a day of history knows the baseline's rate well.
/// </summary>
/// <remarks>
/// <para>What is added: per judged endpoint, and service-wide, an exact group-sequential split test of the canary's errors
/// against the history's own errors (<see cref="Statistics.GroupSequentialSplitEvidence"/>), spending part of the α of the
/// exact tests over the fail-fast step (<see cref="Share"/>); the concurrent split tests keep the rest, and the e-values'
/// reserve is unchanged. When the endpoints are chosen, each of the history's errors is allotted to one of the spending looks
/// uniformly at random, seeded from the history alone (<see cref="BaselineHistoryEvidence.Slices"/>): thinning a Poisson count
/// gives independent Poisson counts, so at look k the canary's errors and slice k's are independent Poisson counts, and given
/// their sum the canary's share is Binomial with probability n / (n + m / (1 + <see cref="Tolerance"/>)) (n the canary's
/// requests of the look, m the history requests a slice stands for) at a canary rate (1 + tolerance) times the history's —
/// whatever that rate is. No bound on the history's rate is needed, and none of the α is spent on one.</para>
/// <para>What is proven: if on every endpoint the canary's error rate during the check is at most (1 + <see cref="Tolerance"/>)
/// times the baseline's rate over the history (a baseline that drifted within the tolerance, and a canary as good as it),
/// the probability of ever failing stays at most α (a union bound over the concurrent tests and the history tests; errors
/// counted as Poisson). A larger drift is outside that statement; the stability checks (below) are there to catch it, and
/// their protection is measured, not proven.</para>
/// <para>Stability checks (each only ever switches a history test off, so none can raise the false alarms the statement
/// bounds): (1) before use, the history's recent part (its last quarter) must not show a rate significantly above its
/// earlier part; (2) at every look, the concurrent baseline's errors so far must not be significantly above what the history's
/// rate predicts (per endpoint for its test, pooled for the service-wide test); (3) a window in which the baseline's own errors
/// are far above the history's rate (a shared outage) is left out of the history tests. Every choice reads only the history and
/// the baseline, never the canary's errors, which is what keeps the split tests exact. A test switched off stays off, and
/// the check then rests on the concurrent tests alone; the reason says so.</para>
/// <para>Errors in bursts: the history's dispersion φ (pooled over the endpoints' segments, read as 1 within 2 standard errors
/// of 1, as <see cref="SequentialErrorRateCriteria.EstimateErrorDispersion"/> reads its own) tempers the history tests (c/φ of
/// the canary's c errors); and, until the endpoints' own estimate exists, it and the
/// history's rate also temper the concurrent tests' windows, which would otherwise be tempered as one burst each (an
/// endpoint's first windows). Both read only the baseline's history, never the split. As with the estimate itself, validity
/// under bursts is approximate (φ is the size-biased mean cluster size, not the largest).</para>
/// </remarks>
public sealed class BaselineHistoryOptions
{
    /// <summary>Gets or sets how far back the baseline's history is read, ending when the canary's first window starts.</summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Gets or sets in how many equal consecutive windows the history is read: from them the history's dispersion (errors that
    /// arrive in bursts) and its stability before the canary are estimated.
    /// </summary>
    /// <value>The default value is 24 (hourly with the default window).</value>
    public int Segments { get; set; } = 24;

    /// <summary>
    /// Gets or sets the drift of the baseline's rate the α statement allows: the canary is tested against the history's rate
    /// bound times (1 + tolerance). Larger is safer against drift and costs power.
    /// </summary>
    /// <value>The default value is 0.2: the baseline's rate today may be up to 20 % above its rate over the history (0.5 % → 0.6 %).</value>
    public double Tolerance { get; set; } = 0.2;

    /// <summary>
    /// Gets or sets the largest share of an exact test's α given to its history test. Each
    /// endpoint's share, and the service-wide one, is this / (1 + (4 m t²)²), t the <see cref="Tolerance"/> and m the errors the
    /// concurrent baseline is expected to show over the spending looks (from the history's rate and the first window's length,
    /// before any canary error is read): the concurrent baseline knows its rate to about 1/√m, the history test to about 2t,
    /// so a sparse endpoint's α goes mostly to its history, a busy one's and the service-wide test's mostly to the concurrent test.
    /// </summary>
    /// <value>The default value is 0.9.</value>
    public double Share { get; set; } = 0.9;

    /// <summary>
    /// Gets or sets the level of each stability check (one-sided): a smaller level switches the history off less often on a
    /// stable baseline and catches a drift later.
    /// </summary>
    /// <value>The default value is 0.01.</value>
    public double StabilityLevel { get; set; } = 0.01;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and its value.</exception>
    public void Validate()
    {
        if (!(Window > TimeSpan.Zero) || Segments < 2 || Window.Ticks / Segments < TimeSpan.TicksPerSecond)
        {
            throw new ArgumentException(Invariant($"BaselineHistoryOptions needs a positive Window cut into at least 2 Segments of at least a second, not {Window} in {Segments}."));
        }

        if (!(Tolerance >= 0 && double.IsFinite(Tolerance)))
        {
            throw new ArgumentException(Invariant($"BaselineHistoryOptions.Tolerance must be a finite number ≥ 0, not {Tolerance}."));
        }

        if (!(Share is > 0 and < 1))
        {
            throw new ArgumentException(Invariant($"BaselineHistoryOptions.Share must be strictly between 0 and 1, not {Share}."));
        }

        if (!(StabilityLevel is > 0 and < 0.5))
        {
            throw new ArgumentException(Invariant($"BaselineHistoryOptions.StabilityLevel must be in (0, 0.5), not {StabilityLevel}."));
        }
    }

    /// <summary>The length of one segment.</summary>
    internal TimeSpan SegmentLength => TimeSpan.FromTicks(Window.Ticks / Segments);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
