using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Judge;

/// <summary>
/// How a policy's verdict becomes the 0–100 score Argo Rollouts compares with its thresholds (score ≥ pass: Successful;
/// marginal ≤ score &lt; pass: Inconclusive; below: Failed).
/// </summary>
/// <remarks>
/// The score is the policy's verdict, not an average of checks: Kayenta scores the share of metrics that pass, which lets two
/// passing checks outvote a failing one; here one failing check fails the judgement. Pass (every check passes) = 100;
/// Fail (any check fails) = 0; Inconclusive (no check fails, one lacks evidence) = min(marginal, pass − 1), which Argo reads
/// as Inconclusive when marginal &lt; pass and as Failed otherwise — never as Successful. A pass threshold of 0 would pass
/// any score, so it is refused.
/// </remarks>
internal static class KayentaScore
{
    public static int Of(Verdict verdict, int pass, int marginal) => verdict switch
    {
        Verdict.Pass => 100,
        Verdict.Fail => 0,
        _ => Inconclusive(pass, marginal),
    };

    public static int Inconclusive(int pass, int marginal) => Math.Max(0, Math.Min(marginal, pass - 1));

    /// <summary>Why the thresholds cannot be used, or null.</summary>
    public static string? Refuse(long pass, long marginal) =>
        pass is < 1 or > 100 ? $"thresholds.pass = {pass}: must be 1–100 (a pass threshold of 0 would pass every score, Inconclusive included)"
        : marginal is < 0 or > 100 ? $"thresholds.marginal = {marginal}: must be 0–100"
        : null;
}
