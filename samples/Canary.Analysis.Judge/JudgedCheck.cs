using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Judge;

/// <summary>
/// One endpoint's evidence in a check's verdict, as the judge returns it (non-finite numbers as null): its value against its
/// limit on the same scale (or its baseline's value), and its own statistical evidence against its boundary.
/// </summary>
internal sealed record JudgedEndpoint(string Endpoint, string Status, double Requests, double Successes, double? Value, double Weight, double? Contribution, double? Limit, double? BaselineValue, double? EvidenceValue, double? EvidenceBoundary)
{
    public static JudgedEndpoint Of(EndpointResult e) =>
        new(e.Endpoint, e.Status.ToString(), e.Requests, e.Successes, Finite(e.Value), e.Weight, Finite(e.Contribution), e.Limit is { } l ? Finite(l) : null, Finite(e.BaselineValue), Finite(e.EvidenceValue), Finite(e.EvidenceBoundary));

    public static double? Finite(double value) => double.IsFinite(value) ? value : null;
}

/// <summary>A check's verdict with its numbers, as the judge returns it.</summary>
/// <param name="Scope">The Kayenta scope judged (null for the web provider).</param>
/// <param name="Name">The check's name in the policy.</param>
/// <param name="Verdict">Pass, Fail or Inconclusive.</param>
/// <param name="Value">The check's value (its meaning depends on the check: a success rate, a ratio, …).</param>
/// <param name="Threshold">The check's threshold.</param>
/// <param name="Reason">The check's one-line reason.</param>
/// <param name="Looks">How many looks the check took (sequential checks look through the interval; the others once).</param>
/// <param name="Endpoints">The per-endpoint evidence.</param>
internal sealed record JudgedCheck(string? Scope, string Name, string Verdict, double? Value, double? Threshold, string Reason, int Looks, IReadOnlyList<JudgedEndpoint> Endpoints)
{
    public static JudgedCheck Of(string? scope, string name, CheckResult result, int looks) =>
        new(scope, name, result.Verdict.ToString(), JudgedEndpoint.Finite(result.Value), JudgedEndpoint.Finite(result.Threshold), result.Reason, looks, result.Endpoints.Select(JudgedEndpoint.Of).ToList());
}
