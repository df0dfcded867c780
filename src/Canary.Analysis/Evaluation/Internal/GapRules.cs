using Canary.Analysis.Traffic;

namespace Canary.Analysis.Evaluation.Internal;

/// <summary>Which of a snapshot's <see cref="TrafficSnapshot.Gaps"/> stop it from being evidence, and how to say so.</summary>
internal static class GapRules
{
    /// <summary>
    /// The gaps that make the data unusable: every gap, except partial responses when the criteria accept them.
    /// Unreachable targets and missing data always count.
    /// </summary>
    public static List<DataGap> Blocking(TrafficSnapshot snapshot, bool allowPartialResponses)
    {
        var blocking = new List<DataGap>(snapshot.Gaps.Count);
        foreach (var gap in snapshot.Gaps)
        {
            if (gap is not null && !(allowPartialResponses && gap.Kind == DataGapKind.PartialResponse))
            {
                blocking.Add(gap);
            }
        }

        return blocking;
    }

    /// <summary>The blocking gaps of several snapshots (canary, baseline), in order, without repeats.</summary>
    public static List<DataGap> Blocking(bool allowPartialResponses, params TrafficSnapshot?[] snapshots)
    {
        var blocking = new List<DataGap>();
        foreach (var snapshot in snapshots)
        {
            if (snapshot is not null)
            {
                foreach (var gap in Blocking(snapshot, allowPartialResponses))
                {
                    if (!blocking.Contains(gap))
                    {
                        blocking.Add(gap);
                    }
                }
            }
        }

        return blocking;
    }

    /// <summary>"Incomplete data: a; b; c and 2 more gap(s)".</summary>
    public static string Describe(IReadOnlyList<DataGap> gaps)
    {
        var more = gaps.Count > 3 ? $" and {gaps.Count - 3} more gap(s)" : string.Empty;
        return $"Incomplete data ({string.Join("; ", gaps.Take(3).Select(g => $"{g.Kind}: {g.Description}"))}{more})";
    }

    /// <summary>Turns a result into Inconclusive because of the gaps, keeping its numbers and, in the reason, what it would have said.</summary>
    public static CheckResult Inconclusive(CheckResult result, IReadOnlyList<DataGap> gaps) =>
        new(result.Name, Verdict.Inconclusive, result.Value, result.Threshold,
            $"{Describe(gaps)}: no verdict on this data. Without the gaps: {result.Reason}", result.Endpoints)
        {
            EvidenceKind = result.EvidenceKind,
            EvidenceValue = result.EvidenceValue,
            EvidenceBoundary = result.EvidenceBoundary,
        };
}
