namespace Canary.Analysis.Demo;

/// <summary>One simulated minute's requests per version.</summary>
internal readonly record struct MinuteOfTraffic(int Baseline, int Canary);
