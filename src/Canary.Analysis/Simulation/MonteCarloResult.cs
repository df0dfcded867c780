using System.Collections.ObjectModel;
using System.Globalization;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Simulation;

/// <summary>The summary of many simulations: outcome counts, the failure rate with its standard error, and times to failure.</summary>
public sealed class MonteCarloResult
{
    private readonly TimeSpan[] _timesToFailure;

    /// <summary>Creates a summary.</summary>
    /// <param name="outcomes">Each run's outcome and time to decision.</param>
    /// <exception cref="ArgumentNullException"><paramref name="outcomes"/> is null.</exception>
    /// <exception cref="ArgumentException">There are no outcomes.</exception>
    public MonteCarloResult(IEnumerable<(SimulationOutcomeKind Kind, TimeSpan? TimeToDecision)> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var list = outcomes.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A Monte Carlo summary needs at least one run.", nameof(outcomes));
        }

        Runs = list.Count;
        var counts = Enum.GetValues<SimulationOutcomeKind>().ToDictionary(k => k, k => list.Count(o => o.Kind == k));
        Counts = new ReadOnlyDictionary<SimulationOutcomeKind, int>(counts);
        _timesToFailure = list.Where(o => o.Kind == SimulationOutcomeKind.Failed && o.TimeToDecision is not null).Select(o => o.TimeToDecision!.Value).Order().ToArray();
    }

    /// <summary>Gets the number of runs.</summary>
    public int Runs { get; }

    /// <summary>Gets the number of runs per outcome (every kind present, 0 when none).</summary>
    public IReadOnlyDictionary<SimulationOutcomeKind, int> Counts { get; }

    /// <summary>Gets the share of runs that failed (rolled back).</summary>
    public double FailedRate => Rate(SimulationOutcomeKind.Failed);

    /// <summary>Gets the Monte Carlo standard error of <see cref="FailedRate"/>: √(p(1 − p)/runs).</summary>
    public double FailedRateStandardError => StandardError(SimulationOutcomeKind.Failed);

    /// <summary>
    /// Gets the exact (Clopper–Pearson) confidence interval for the true failure rate behind <see cref="FailedRate"/>: at
    /// <paramref name="level"/> = 0.95 it covers the rate the simulated setting really has in at least 95 % of such summaries.
    /// Report it with <see cref="Runs"/>; assert an upper bound on false rollbacks with its <see cref="ConfidenceInterval.Upper"/>.
    /// </summary>
    /// <param name="level">The confidence level, in (0, 1).</param>
    /// <returns>The two-sided interval, within [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not in (0, 1).</exception>
    public ConfidenceInterval FailedRateInterval(double level = 0.95)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must be in (0, 1).");
        }

        return BinomialTest.Test(Counts[SimulationOutcomeKind.Failed], Runs, 0.5, new ExactTestOptions { ConfidenceLevel = level }).ConfidenceInterval;
    }

    /// <summary>Gets the detection rate: <see cref="FailedRate"/>, read on canaries with an injected regression.</summary>
    public double DetectionRate => FailedRate;

    /// <summary>Gets the false-alarm (false-rollback) rate: <see cref="FailedRate"/>, read on healthy canaries.</summary>
    public double FalseAlarmRate => FailedRate;

    /// <summary>Gets the median time from the start to a Failed decision, over the failed runs; null when none failed.</summary>
    public TimeSpan? MedianTimeToFailure => TimeToFailurePercentile(0.5);

    /// <summary>Gets the share of all runs that failed (rolled back) no later than a time: detection within a deadline.</summary>
    /// <param name="time">The deadline, from the start of each run.</param>
    /// <returns>A value in [0, 1].</returns>
    public double FailedWithin(TimeSpan time)
    {
        var count = 0;
        while (count < _timesToFailure.Length && _timesToFailure[count] <= time)
        {
            count++;
        }

        return count / (double)Runs;
    }

    /// <summary>Gets the share of runs with an outcome.</summary>
    /// <param name="kind">The outcome.</param>
    /// <returns>A value in [0, 1].</returns>
    public double Rate(SimulationOutcomeKind kind) => Counts[kind] / (double)Runs;

    /// <summary>Gets the Monte Carlo standard error of <see cref="Rate"/>.</summary>
    /// <param name="kind">The outcome.</param>
    /// <returns>√(p(1 − p)/runs).</returns>
    public double StandardError(SimulationOutcomeKind kind)
    {
        var p = Rate(kind);
        return Math.Sqrt(p * (1 - p) / Runs);
    }

    /// <summary>Gets a percentile of the time to a Failed decision over the failed runs (linear interpolation, R's type 7).</summary>
    /// <param name="p">The probability, 0–1.</param>
    /// <returns>The time, or null when no run failed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not between 0 and 1.</exception>
    public TimeSpan? TimeToFailurePercentile(double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "The probability must be between 0 and 1.");
        }

        if (_timesToFailure.Length == 0)
        {
            return null;
        }

        var h = (_timesToFailure.Length - 1) * p;
        var lower = (int)Math.Floor(h);
        var upper = Math.Min(lower + 1, _timesToFailure.Length - 1);
        var ticks = _timesToFailure[lower].Ticks + ((h - lower) * (_timesToFailure[upper].Ticks - _timesToFailure[lower].Ticks));
        return TimeSpan.FromTicks((long)Math.Round(ticks));
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Runs} runs: failed {FailedRate:P1} ± {FailedRateStandardError:P1}, 95 % CI [{FailedRateInterval().Lower:P1}, {FailedRateInterval().Upper:P1}] (succeeded {Counts[SimulationOutcomeKind.Succeeded]}, inconclusive {Counts[SimulationOutcomeKind.Inconclusive]}, undecided {Counts[SimulationOutcomeKind.Undecided]}, error {Counts[SimulationOutcomeKind.Error]}); time to failure median {MedianTimeToFailure?.ToString() ?? "n/a"}, p90 {TimeToFailurePercentile(0.9)?.ToString() ?? "n/a"}");
}
