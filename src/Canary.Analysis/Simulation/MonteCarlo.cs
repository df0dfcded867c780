using Canary.Analysis.Simulation.Internal;

namespace Canary.Analysis.Simulation;

/// <summary>
/// Runs many seeded simulations and summarises them: how often they failed (the detection rate of a regression, or
/// the false-alarm rate of a healthy canary) with its Monte Carlo standard error, and the time to failure.
/// </summary>
/// <remarks>Runs are sequential and each gets a seed derived from the master seed and its index, so results are reproducible.</remarks>
public static class MonteCarlo
{
    /// <summary>Runs <paramref name="runs"/> simulations.</summary>
    /// <param name="runs">How many runs (≥ 1).</param>
    /// <param name="seed">The master seed.</param>
    /// <param name="simulate">One simulation for a derived seed.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="simulate"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="runs"/> is less than 1.</exception>
    public static MonteCarloResult Run(int runs, int seed, Func<int, SimulationOutcome> simulate)
    {
        ArgumentNullException.ThrowIfNull(simulate);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var outcomes = new List<(SimulationOutcomeKind, TimeSpan?)>(runs);
        for (var i = 0; i < runs; i++)
        {
            var outcome = simulate(RunSeed(seed, i)) ?? throw new InvalidOperationException($"Simulation {i} returned null.");
            outcomes.Add((outcome.Kind, outcome.TimeToDecision));
        }

        return new MonteCarloResult(outcomes);
    }

    /// <summary>Runs <paramref name="runs"/> asynchronous simulations, one after the other.</summary>
    /// <param name="runs">How many runs (≥ 1).</param>
    /// <param name="seed">The master seed.</param>
    /// <param name="simulate">One simulation for a derived seed.</param>
    /// <param name="cancellationToken">Stops the runs.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="simulate"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="runs"/> is less than 1.</exception>
    public static async Task<MonteCarloResult> RunAsync(int runs, int seed, Func<int, CancellationToken, Task<SimulationOutcome>> simulate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(simulate);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var outcomes = new List<(SimulationOutcomeKind, TimeSpan?)>(runs);
        for (var i = 0; i < runs; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = await simulate(RunSeed(seed, i), cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Simulation {i} returned null.");
            outcomes.Add((outcome.Kind, outcome.TimeToDecision));
        }

        return new MonteCarloResult(outcomes);
    }

    /// <summary>Gets the seed of one run: a well-mixed function of the master seed and the run's index.</summary>
    /// <param name="seed">The master seed.</param>
    /// <param name="run">The run's index.</param>
    /// <returns>The run's seed.</returns>
    public static int RunSeed(int seed, int run) => RandomStream.Derive(seed, run);
}
