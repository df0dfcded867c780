namespace Canary.Analysis.Evaluation;

/// <summary>One endpoint as <see cref="EndpointWeights.Resolve(IEnumerable{KeyValuePair{string, double}})"/> weighs it.</summary>
/// <param name="Endpoint">The endpoint name.</param>
/// <param name="Weight">
/// Its raw relative weight: listed, <see cref="EndpointWeights.DefaultWeight"/> or 1 (equal weights), or its traffic
/// (<see cref="EndpointWeightingMode.TrafficWeighted"/>); 0 when excluded, or judged without usable traffic.
/// </param>
/// <param name="Share">Its normalised weight: <paramref name="Weight"/> over the sum of the resolution's weights (0 when that sum is 0).</param>
/// <param name="IsExcluded">
/// Whether the endpoint is left out. An endpoint that is not excluded is judged, even with weight 0: an expected endpoint
/// without traffic, or one whose traffic is not valid under traffic weighting, is judged (and insufficient), never ignored.
/// </param>
public readonly record struct WeightedEndpoint(string Endpoint, double Weight, double Share, bool IsExcluded);
