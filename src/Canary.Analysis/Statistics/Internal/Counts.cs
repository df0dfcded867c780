using System.Globalization;

namespace Canary.Analysis.Statistics.Internal;

/// <summary>Argument checks shared by the count-based tests.</summary>
internal static class Counts
{
    internal static void CheckTotal(long total, string name)
    {
        if (total <= 0)
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture, "The number of trials must be positive; {0} is {1}.", name, total),
                name);
        }
    }

    internal static void CheckSuccesses(long successes, long total, string name)
    {
        if (successes < 0 || successes > total)
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture, "The count must be between 0 and the number of trials ({0}); {1} is {2}.", total, name, successes),
                name);
        }
    }

    /// <summary>Checks canary and baseline counts of a two-sample test, naming the offending parameter.</summary>
    internal static void CheckTwoSamples(long canarySuccesses, long canaryTotal, long baselineSuccesses, long baselineTotal)
    {
        CheckTotal(canaryTotal, nameof(canaryTotal));
        CheckTotal(baselineTotal, nameof(baselineTotal));
        CheckSuccesses(canarySuccesses, canaryTotal, nameof(canarySuccesses));
        CheckSuccesses(baselineSuccesses, baselineTotal, nameof(baselineSuccesses));
    }

    /// <summary>Checks the counts and the floor of a one-sample test against a fixed proportion, naming the offending parameter.</summary>
    internal static void CheckOneSample(long successes, long total, double floor, string totalName)
    {
        CheckTotal(total, totalName);
        CheckSuccesses(successes, total, nameof(successes));
        CheckProbability(floor, nameof(floor));
    }

    /// <summary>Checks a confidence level and an alternative given in options.</summary>
    internal static void CheckOptions(double level, Alternative alternative, string name)
    {
        CheckLevel(level, name);
        CheckAlternative(alternative, name);
    }

    internal static void CheckLevel(double level, string name)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture, "The confidence level must be strictly between 0 and 1; it is {0}.", level),
                name);
        }
    }

    internal static void CheckAlternative(Alternative alternative, string name)
    {
        if (alternative is not (Alternative.TwoSided or Alternative.Less or Alternative.Greater))
        {
            throw new ArgumentException($"Unknown alternative {alternative}.", name);
        }
    }

    internal static void CheckProbability(double p, string name)
    {
        if (!(p > 0 && p < 1))
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture, "The proportion must be strictly between 0 and 1; {0} is {1}.", name, p),
                name);
        }
    }
}
