namespace Canary.Analysis.Statistics.Judge;

/// <summary>The outcome of a multi-interval canary analysis, by Kayenta's orchestration rules.</summary>
public sealed class IntervalOutcome
{
    /// <summary>Creates an outcome.</summary>
    /// <param name="passed">Whether the analysis passed.</param>
    /// <param name="judgedCount">How many interval scores were used before the run ended or stopped.</param>
    /// <param name="stoppedEarly">Whether an interval at or below the marginal threshold stopped the run before its last interval.</param>
    /// <param name="finalScore">The score that decided the outcome (NaN when there were no scores).</param>
    /// <param name="reason">A one-line human reason.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is <see langword="null"/>.</exception>
    public IntervalOutcome(bool passed, int judgedCount, bool stoppedEarly, double finalScore, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Passed = passed;
        JudgedCount = judgedCount;
        StoppedEarly = stoppedEarly;
        FinalScore = finalScore;
        Reason = reason;
    }

    /// <summary>Gets whether the analysis passed.</summary>
    public bool Passed { get; }

    /// <summary>Gets how many interval scores were used before the run ended or stopped.</summary>
    public int JudgedCount { get; }

    /// <summary>Gets whether an interval at or below the marginal threshold stopped the run before its last interval.</summary>
    public bool StoppedEarly { get; }

    /// <summary>Gets the score that decided the outcome (NaN when there were no scores).</summary>
    public double FinalScore { get; }

    /// <summary>Gets a one-line human reason.</summary>
    public string Reason { get; }
}
