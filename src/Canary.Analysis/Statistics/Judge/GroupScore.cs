namespace Canary.Analysis.Statistics.Judge;

/// <summary>The score of one metric group.</summary>
public sealed class GroupScore
{
    /// <summary>Creates a group score.</summary>
    /// <param name="name">The group name.</param>
    /// <param name="score">100 · passes / counted metrics; 0 when no metric counts.</param>
    /// <param name="hasNoData">Whether no metric of the group counts (it then counts as 100 in the summary, as in Kayenta).</param>
    /// <param name="weight">The effective weight of the group in the summary.</param>
    /// <param name="passCount">The number of passing metrics.</param>
    /// <param name="countedCount">The number of counted metrics (Pass, High, Low, NoDataFail).</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public GroupScore(string name, double score, bool hasNoData, double weight, int passCount, int countedCount)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Score = score;
        HasNoData = hasNoData;
        Weight = weight;
        PassCount = passCount;
        CountedCount = countedCount;
    }

    /// <summary>Gets the group name.</summary>
    public string Name { get; }

    /// <summary>Gets 100 · passes / counted metrics; 0 when no metric counts.</summary>
    public double Score { get; }

    /// <summary>Gets whether no metric of the group counts; such a group counts as 100 in the summary, as in Kayenta.</summary>
    public bool HasNoData { get; }

    /// <summary>Gets the effective weight of the group: configured, or an equal share of what the configured weights leave of 100.</summary>
    public double Weight { get; }

    /// <summary>Gets the number of passing metrics.</summary>
    public int PassCount { get; }

    /// <summary>Gets the number of counted metrics: Pass, High, Low and NoDataFail (NoData, Error and Inconclusive are not counted).</summary>
    public int CountedCount { get; }
}
