using System.Globalization;

namespace Canary.Analysis.Policies;

/// <summary>
/// The canary and stable pod counts for a requested canary weight, and the share of traffic the canary really
/// gets. Without a service mesh a Service splits traffic evenly across pods, so a 5 % weight on 4 replicas is
/// really 1 canary pod of 5 — 20 %.
/// </summary>
public sealed class ReplicaSplit
{
    private ReplicaSplit(int replicas, int requestedWeight, int canary, int stable, bool trafficRouted)
    {
        Replicas = replicas;
        RequestedWeight = requestedWeight;
        Canary = canary;
        Stable = stable;
        IsTrafficRouted = trafficRouted;
    }

    /// <summary>Gets the desired replica count of the rollout.</summary>
    public int Replicas { get; }

    /// <summary>Gets the requested canary weight in percent.</summary>
    public int RequestedWeight { get; }

    /// <summary>Gets the canary pod count.</summary>
    public int Canary { get; }

    /// <summary>Gets the stable pod count.</summary>
    public int Stable { get; }

    /// <summary>Gets a value indicating whether a traffic router (mesh, ingress) sets the weight instead of pod counts.</summary>
    public bool IsTrafficRouted { get; }

    /// <summary>
    /// Gets the canary's real share of traffic in percent: canary / (canary + stable) × 100 when pods split the
    /// traffic, the requested weight when a traffic router sets it.
    /// </summary>
    public double EffectiveWeight => IsTrafficRouted ? RequestedWeight
        : Canary + Stable == 0 ? 0 : Canary * 100.0 / (Canary + Stable);

    /// <summary>
    /// Computes Argo Rollouts' basic-canary pod counts (no traffic router): the candidate counts
    /// ⌈N·w/100⌉ and ⌊N·w/100⌋ over N pods — and over N + 1 when surge is allowed — whose pod share is closest
    /// to the weight; ties go to the larger canary; the canary never gets 0 pods for weights 1–99 unless
    /// N = 1 and surge is 0.
    /// </summary>
    /// <param name="replicas">The desired replica count N (≥ 0).</param>
    /// <param name="weightPercent">The requested canary weight, 0–100.</param>
    /// <param name="maxSurge">The surge allowed, in pods; null means Argo's default, 25 % of replicas rounded up.</param>
    /// <returns>The split.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the message gives the value.</exception>
    public static ReplicaSplit ForWeight(int replicas, int weightPercent, int? maxSurge = null)
    {
        Validate(replicas, weightPercent);
        if (maxSurge is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSurge), maxSurge, "The surge must not be negative.");
        }

        var surge = maxSurge ?? (int)Math.Ceiling(replicas * 0.25);
        if (replicas == 0)
        {
            return new ReplicaSplit(0, weightPercent, 0, 0, trafficRouted: false);
        }

        var ceil = (int)Math.Ceiling(replicas * weightPercent / 100.0);
        var floor = replicas * weightPercent / 100;
        var zeroAllowed = weightPercent is 0 or 100 || (replicas == 1 && surge == 0);
        var options = new List<(int Canary, int Total)>(4);
        if (ceil < replicas || zeroAllowed)
        {
            options.Add((ceil, replicas));
        }

        if (!Tied(weightPercent, replicas) && (floor != 0 || zeroAllowed))
        {
            options.Add((floor, replicas));
        }

        if (surge > 0)
        {
            options.Add((ceil, replicas + 1));
            if (!Tied(weightPercent, replicas + 1) && (floor != 0 || zeroAllowed))
            {
                options.Add((floor, replicas + 1));
            }
        }

        var best = options[0];
        var bestDelta = Delta(weightPercent, best);
        foreach (var option in options.Skip(1))
        {
            var delta = Delta(weightPercent, option);
            if (delta < bestDelta)
            {
                (best, bestDelta) = (option, delta);
            }
        }

        return new ReplicaSplit(replicas, weightPercent, best.Canary, best.Total - best.Canary, trafficRouted: false);
    }

    /// <summary>
    /// Computes Argo Rollouts' pod counts when a traffic router sets the weight: canary = ⌈w·N/100⌉; stable stays
    /// at N, or with dynamic stable scaling ⌈(100 − w)·N/100⌉.
    /// </summary>
    /// <param name="replicas">The desired replica count N (≥ 0).</param>
    /// <param name="weightPercent">The requested canary weight, 0–100.</param>
    /// <param name="dynamicStableScale">Whether the stable is scaled down as the canary takes traffic.</param>
    /// <returns>The split; its effective weight is the requested one.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static ReplicaSplit ForTrafficRoutedWeight(int replicas, int weightPercent, bool dynamicStableScale = false)
    {
        Validate(replicas, weightPercent);
        var canary = (int)Math.Ceiling(weightPercent * replicas / 100.0);
        var stable = dynamicStableScale ? (int)Math.Ceiling((100 - weightPercent) * replicas / 100.0) : replicas;
        return new ReplicaSplit(replicas, weightPercent, canary, stable, trafficRouted: true);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{RequestedWeight} % of {Replicas} replicas: {Canary} canary / {Stable} stable = {EffectiveWeight:0.#} %{(IsTrafficRouted ? " (traffic-routed)" : string.Empty)}");

    private static void Validate(int replicas, int weightPercent)
    {
        if (replicas < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(replicas), replicas, "The replica count must not be negative.");
        }

        if (weightPercent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(weightPercent), weightPercent, "The canary weight must be between 0 and 100 percent.");
        }
    }

    /// <summary>Whether ⌈N·w⌉ and ⌊N·w⌋ are equally far from the weight (the fraction is exactly .5).</summary>
    private static bool Tied(int weightPercent, int total)
    {
        var exact = total * (weightPercent / 100.0);
        return exact - Math.Truncate(exact) == 0.5;
    }

    private static double Delta(int weightPercent, (int Canary, int Total) option) =>
        Math.Abs((option.Canary * 100.0 / option.Total) - weightPercent);
}
