using Canary.Analysis.Internal;

namespace Canary.Analysis.Evaluation;

/// <summary>What the criteria of the per-endpoint traffic checks share: how endpoints are weighted and the requests each needs.</summary>
internal interface ITrafficCriteria : IValidatable
{
    /// <summary>Gets how endpoints are weighted.</summary>
    EndpointWeights Weights { get; }

    /// <summary>Gets the fewest requests a judged endpoint needs.</summary>
    double MinimumRequestsPerEndpoint { get; }
}
