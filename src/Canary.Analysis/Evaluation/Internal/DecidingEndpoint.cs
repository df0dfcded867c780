namespace Canary.Analysis.Evaluation.Internal;

/// <summary>
/// The endpoint that decided a failed check: of the endpoints outside their own limit the one with the largest weight, else
/// (for a check with e-value evidence: a sequential one) the one with the largest part of the evidence; null when the result
/// names none.
/// </summary>
internal static class DecidingEndpoint
{
    public static EndpointResult? Of(CheckResult? result) =>
        result?.Endpoints.Where(e => e.Status == EndpointStatus.LimitBreached).MaxBy(e => e.Weight)
        ?? (result?.EvidenceKind == EvidenceKind.EValue ? result.Endpoints.Where(e => !double.IsNaN(e.Contribution)).MaxBy(e => e.Contribution) : null);
}
