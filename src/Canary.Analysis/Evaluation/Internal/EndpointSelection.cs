using Canary.Analysis.Traffic;

namespace Canary.Analysis.Evaluation.Internal;

/// <summary>Which endpoints a check judges and with what raw weight, from a snapshot and <see cref="EndpointWeights"/>.</summary>
internal static class EndpointSelection
{
    /// <summary>
    /// Every endpoint with traffic plus every expected one (listed with a positive weight), with its raw weight:
    /// the listed/default/equal weight, or its requests when weighting by traffic. Excluded endpoints have weight 0.
    /// </summary>
    public static List<Candidate> Resolve(TrafficSnapshot snapshot, EndpointWeights weights)
    {
        var names = new HashSet<string>(snapshot.Endpoints.Keys, StringComparer.Ordinal);
        names.UnionWith(weights.ExpectedEndpoints());
        var byTraffic = weights.Mode == EndpointWeightingMode.TrafficWeighted;
        var candidates = new List<Candidate>(names.Count);
        foreach (var name in names)
        {
            snapshot.Endpoints.TryGetValue(name, out var traffic);
            var listed = weights.IsListed(name);
            var listedOut = listed && weights[name] == 0;
            var expected = listed && weights[name] > 0;
            var requests = traffic?.Requests ?? 0;
            var valid = traffic?.HasValidCounts ?? true;
            bool excluded;
            double weight;
            if (byTraffic)
            {
                // Invalid counts and expected-but-silent endpoints stay judged (and insufficient) with no weight.
                excluded = listedOut || (valid && requests <= 0 && !expected);
                weight = excluded || !valid ? 0 : requests;
            }
            else
            {
                weight = weights.StaticWeightOf(name);
                excluded = weight <= 0;
            }

            candidates.Add(new Candidate(name, traffic, excluded ? 0 : weight, excluded));
        }

        return candidates;
    }

    internal readonly record struct Candidate(string Name, EndpointTraffic? Traffic, double Weight, bool Excluded)
    {
        public double Requests => Traffic?.Requests ?? 0;

        public bool HasValidCounts => Traffic?.HasValidCounts ?? true;
    }
}
