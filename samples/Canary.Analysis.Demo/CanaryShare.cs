using System.Globalization;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Demo;

/// <summary>
/// The canary's real share of the requests, as a fraction of whole numbers (so the load generator splits exactly,
/// without floating-point rounding): the weight itself when a traffic router (mesh, ingress) sets it, or canary pods
/// over all pods when a Service spreads requests evenly across pods.
/// </summary>
/// <param name="Canary">The canary's parts.</param>
/// <param name="Total">All parts (canary and stable).</param>
internal readonly record struct CanaryShare(int Canary, int Total)
{
    /// <summary>Gets the share in percent.</summary>
    public double Percent => Total == 0 ? 0 : Canary * 100.0 / Total;

    /// <summary>The share a traffic router gives: exactly the weight.</summary>
    public static CanaryShare Routed(int weightPercent) => new(weightPercent, 100);

    /// <summary>The share pods give: one request in (canary + stable) per canary pod.</summary>
    public static CanaryShare Pods(ReplicaSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return new(split.Canary, split.Canary + split.Stable);
    }

    public override string ToString() => Percent.ToString("0.#", CultureInfo.InvariantCulture) + " %";
}
