using System.Globalization;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Evaluation.Internal;

/// <summary>
/// How long a non-inferiority bound (<see cref="NonInferiorityBound"/>) still needs to reach a margin: the bound projected
/// forward with each endpoint's canary and baseline requests growing at their observed per-minute traffic so far, the
/// baseline's errors at its rate so far and the canary's at the larger of its own rate and both versions' pooled rate (each
/// smoothed with half an error), all read with the bound's dispersions. An estimate for the reason, not part of the test.
/// </summary>
internal static class MarginProjection
{
    /// <summary>The longest projection: beyond it the reason says "more than 30 days".</summary>
    internal static readonly TimeSpan Horizon = TimeSpan.FromDays(30);

    /// <summary>The time still needed at this traffic, <see cref="TimeSpan.Zero"/> when already reached, null beyond <see cref="Horizon"/>.</summary>
    internal static TimeSpan? TimeNeeded(IReadOnlyList<SequentialEndpointEvidence> endpoints, TimeSpan elapsed, double alpha, IReadOnlyList<double> dispersions, double margin)
    {
        var minutes = elapsed.TotalMinutes;
        var total = endpoints.Sum(e => e.Weight);
        if (BoundAfter(endpoints, total, minutes, 0, alpha, dispersions) <= margin)
        {
            return TimeSpan.Zero;
        }

        var horizon = Horizon.TotalMinutes;
        if (BoundAfter(endpoints, total, minutes, horizon, alpha, dispersions) > margin)
        {
            return null;
        }

        // The bound falls as the counts grow: bisect on log time to within 2 %.
        var (lo, hi) = (Math.Log(0.5), Math.Log(horizon));
        while (hi - lo > 0.02)
        {
            var mid = (lo + hi) / 2;
            (lo, hi) = BoundAfter(endpoints, total, minutes, Math.Exp(mid), alpha, dispersions) <= margin ? (lo, mid) : (mid, hi);
        }

        return TimeSpan.FromMinutes(Math.Ceiling(Math.Exp(hi)));
    }

    /// <summary>"~2 h 10 min", "~45 min", "~3 d 4 h".</summary>
    internal static string Describe(TimeSpan time)
    {
        var minutes = (long)Math.Ceiling(time.TotalMinutes);
        return minutes switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"~{Math.Max(minutes, 1)} min"),
            < 24 * 60 => minutes % 60 == 0
                ? string.Create(CultureInfo.InvariantCulture, $"~{minutes / 60} h")
                : string.Create(CultureInfo.InvariantCulture, $"~{minutes / 60} h {minutes % 60} min"),
            _ => string.Create(CultureInfo.InvariantCulture, $"~{minutes / (24 * 60)} d {minutes / 60 % 24} h"),
        };
    }

    private static double BoundAfter(IReadOnlyList<SequentialEndpointEvidence> endpoints, double totalWeight, double elapsedMinutes, double moreMinutes, double alpha, IReadOnlyList<double> dispersions)
    {
        var bound = 0.0;
        var growth = moreMinutes / elapsedMinutes;
        for (var i = 0; i < endpoints.Count; i++)
        {
            var (e, dispersion) = (endpoints[i], dispersions[i]);
            var share = e.Weight / totalWeight;
            if (share > 0)
            {
                var (canary, baseline) = (e.CanaryRequests * growth, e.BaselineRequests * growth);
                // Ahead, the canary errs at the larger of its own rate so far and both versions' pooled rate: as healthy as the
                // baseline unless it has shown itself worse (a handful of error-free requests does not project no errors).
                var canaryRate = Math.Max((double)e.CanaryErrors / e.CanaryRequests, Smoothed(e.CanaryErrors + e.BaselineErrors, e.CanaryRequests + e.BaselineRequests));
                bound += share * NonInferiorityBound.Stratum(
                    (e.CanaryErrors + (canary * canaryRate)) / dispersion, (e.CanaryRequests + canary) / dispersion,
                    (e.BaselineErrors + (baseline * Smoothed(e.BaselineErrors, e.BaselineRequests))) / dispersion, (e.BaselineRequests + baseline) / dispersion,
                    alpha * share);
            }
        }

        return bound;
    }

    /// <summary>An error rate expected ahead: half an error added to what was seen (so no errors yet does not project none for ever).</summary>
    private static double Smoothed(long errors, long requests) => (errors + 0.5) / (requests + 1.0);
}
