namespace Canary.Analysis.IntegrationTests.Samples.Host;

/// <summary>Policy documents for the sample host against its simulated service (<c>version="canary"</c> / <c>"baseline"</c>).</summary>
internal static class HostPolicies
{
    /// <summary>5 %, then <paramref name="looks"/> looks a second apart by a sequential error-rate check and a success-rate check, then 50 %.</summary>
    public static string Web(int looks) => $$"""
        apiVersion: canary-analysis/v1
        kind: CanaryPolicy
        metadata:
          name: web
        canary: 'version="canary"'
        baseline: 'version="baseline"'
        checks:
          error-rate:
            kind: sequential-error-rate
            alpha: 0.05
          success-rate:
            kind: success-rate
            minimumSuccessRate: 0.95
        steps:
          - setWeight: 5
          - analysis: { name: soak, interval: 1s, duration: {{looks}}s, checks: [error-rate, success-rate] }
          - setWeight: 50
        """;
}
