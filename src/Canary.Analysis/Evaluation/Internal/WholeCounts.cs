using Canary.Analysis.Traffic;

namespace Canary.Analysis.Evaluation.Internal;

/// <summary>Whole events of one endpoint in a window, for exact tests on counts.</summary>
internal static class WholeCounts
{
    /// <summary>
    /// Reads whole requests and errors: absent traffic is zero; NaN, infinite or beyond 2⁵³ is not valid. Counts from
    /// increase() may be fractional; exact tests need whole events, so they are rounded.
    /// </summary>
    public static bool TryRead(EndpointTraffic? traffic, out long requests, out long errors)
    {
        (requests, errors) = (0, 0);
        if (traffic is null)
        {
            return true;
        }

        if (!traffic.HasValidCounts || !double.IsFinite(traffic.Failures))
        {
            return false;
        }

        requests = (long)Math.Round(traffic.Requests);
        errors = Math.Clamp((long)Math.Round(traffic.Failures), 0, requests);
        return true;
    }
}
