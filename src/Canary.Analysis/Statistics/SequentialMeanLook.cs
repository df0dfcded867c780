namespace Canary.Analysis.Statistics;

/// <summary>The cumulative sample sizes and means of both versions at one look of a <see cref="SequentialMeanTest"/>.</summary>
/// <param name="CanaryCount">Canary observations so far.</param>
/// <param name="CanaryMean">Mean of the canary's observations so far.</param>
/// <param name="BaselineCount">Baseline observations so far.</param>
/// <param name="BaselineMean">Mean of the baseline's observations so far.</param>
public readonly record struct SequentialMeanLook(long CanaryCount, double CanaryMean, long BaselineCount, double BaselineMean);
