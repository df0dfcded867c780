using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Configuration.Internal;

/// <summary>What a check declared in a document is built with: the source, the selectors, fresh weights, its first look's interval.</summary>
internal sealed record CheckBuildContext(ITrafficSource Source, LabelSelector Canary, LabelSelector? Baseline, Func<EndpointWeights> Weights, TimeSpan FirstInterval);
