using Canary.Analysis.Simulation.Internal;
using Canary.Analysis.Statistics;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Evaluation.Internal;

/// <summary>
/// Turns the baseline's history (its segments, oldest first) into each judged endpoint's <see cref="BaselineHistoryEvidence"/>
/// when the endpoints are chosen, from the history alone: the dispersion (pooled over the endpoints), the stability before
/// the canary (the last quarter of the segments against the rest), and the history's errors allotted at random to the
/// spending looks (the slices the canary's errors are split against).
/// </summary>
internal static class BaselineHistoryStart
{
    /// <summary>The history's use per endpoint (null where it is not used) and why it is not used where it is not (null when used everywhere).</summary>
    /// <param name="endpoints">The judged endpoints and their weights.</param>
    /// <param name="segments">The history, oldest first (null: not read).</param>
    /// <param name="criteria">The criteria.</param>
    /// <param name="step">The time the spending looks are expected to cover (the looks times the first window): with the history's
    /// rate it gives the errors the concurrent baseline is expected to show, which sets each endpoint's history share.</param>
    internal static (BaselineHistoryEvidence?[] Endpoints, string? Note) Start(IReadOnlyList<(string Endpoint, double Weight)> endpoints, IReadOnlyList<TrafficSnapshot>? segments, SequentialErrorRateCriteria criteria, TimeSpan step)
    {
        var result = new BaselineHistoryEvidence?[endpoints.Count];
        if (criteria.BaselineHistory is not { } options || endpoints.Count == 0)
        {
            return (result, null);
        }

        if (segments is null || segments.Count == 0)
        {
            return (result, "not read");
        }

        if (segments.Any(s => s.Gaps.Count > 0))
        {
            return (result, "not used: it has gaps");
        }

        var counts = new (long Requests, long Errors)[endpoints.Count][];
        var dispersions = new SequentialErrorDispersion[endpoints.Count];
        var invalid = new List<string>();
        for (var i = 0; i < endpoints.Count; i++)
        {
            counts[i] = new (long, long)[segments.Count];
            dispersions[i] = new SequentialErrorDispersion();
            for (var j = 0; j < segments.Count; j++)
            {
                if (!WholeCounts.TryRead(segments[j].Endpoints.GetValueOrDefault(endpoints[i].Endpoint), out var n, out var e))
                {
                    invalid.Add(Format.Endpoint(endpoints[i].Endpoint));
                    counts[i] = [];
                    break;
                }

                counts[i][j] = (n, e);
                dispersions[i] = dispersions[i].Add(e, n);
            }
        }

        var phi = criteria.MinimumErrorDispersion;
        if (criteria.EstimateErrorDispersion)
        {
            var pooled = BurstTempering.Pooled(dispersions);
            if (double.IsPositiveInfinity(pooled))
            {
                return (result, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"not used: fewer than {BurstTempering.MinimumInformation} errors in it to estimate how errors cluster"));
            }

            phi = Math.Max(phi, pooled);
        }

        var unused = new List<string>(invalid.Select(name => $"{name} (counts not valid)"));
        var recentFrom = segments.Count - Math.Max(1, segments.Count / 4);
        var stepShare = step / segments.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Window);
        for (var i = 0; i < endpoints.Count; i++)
        {
            var (endpoint, weight) = endpoints[i];
            if (counts[i].Length == 0 || weight <= 0)
            {
                continue;
            }

            var (requests, errors) = (counts[i].Sum(c => c.Requests), counts[i].Sum(c => c.Errors));
            var (recentRequests, recentErrors) = (counts[i][recentFrom..].Sum(c => c.Requests), counts[i][recentFrom..].Sum(c => c.Errors));
            var (earlierRequests, earlierErrors) = (requests - recentRequests, errors - recentErrors);
            if (requests == 0)
            {
                unused.Add($"{Format.Endpoint(endpoint)} (no history)");
                continue;
            }

            // Homogeneity of the recent part and the rest, exact given the errors: the recent part's errors are then
            // Binomial(errors, its share of the requests) (on counts / φ).
            if (earlierRequests > 0 && recentRequests > 0 && recentErrors * requests > errors * recentRequests
                && RateBounds.AtLeast(recentErrors / phi, errors / phi, (double)recentRequests / requests) < options.StabilityLevel)
            {
                unused.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{Format.Endpoint(endpoint)} (its rate rose before the canary: {recentErrors}/{recentRequests} recently vs {earlierErrors}/{earlierRequests})"));
                continue;
            }

            var share = criteria.HistoryShare(errors * stepShare);
            var test = criteria.HistoryEndpointTest(weight, share)!;
            var sliceRequests = (long)Math.Floor(requests / (test.Looks * (1 + options.Tolerance)));
            var slices = Slices(endpoint, requests, errors, test.Looks);
            if (sliceRequests < 1 || slices.Any(e => e > sliceRequests))
            {
                unused.Add($"{Format.Endpoint(endpoint)} (too few requests in it)");
                continue;
            }

            var nullRate = Math.Min((double)errors / requests * (1 + options.Tolerance), 0.999);
            result[i] = new BaselineHistoryEvidence(requests, errors, phi, share, nullRate, test) { Slices = slices, SliceRequests = sliceRequests };
        }

        return (result, unused.Count == 0 ? null : $"not used for {string.Join(", ", unused.Take(3))}{(unused.Count > 3 ? $" and {unused.Count - 3} more" : string.Empty)}");
    }

    /// <summary>
    /// Allots each of the history's <paramref name="errors"/> to one of the <paramref name="looks"/> slices uniformly at
    /// random, seeded from the history alone (the endpoint's name and counts; never the canary's): thinning a Poisson count
    /// this way gives independent Poisson counts, one a look, whatever the rate.
    /// </summary>
    internal static long[] Slices(string endpoint, long requests, long errors, int looks)
    {
        var seed = unchecked((int)2166136261); // FNV-1a over the name: stable across processes, unlike string.GetHashCode
        foreach (var c in endpoint)
        {
            seed = unchecked((seed ^ c) * 16777619);
        }

        var random = new RandomStream(seed, requests, unchecked((ulong)errors));
        var slices = new long[looks];
        for (long e = 0; e < errors; e++)
        {
            slices[Math.Min(looks - 1, (int)(random.NextDouble() * looks))]++;
        }

        return slices;
    }
}
