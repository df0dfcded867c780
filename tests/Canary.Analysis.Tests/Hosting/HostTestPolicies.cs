using Canary.Analysis.Configuration;

namespace Canary.Analysis.Tests.Hosting;

/// <summary>Policy documents for host tests.</summary>
internal static class HostTestPolicies
{
    /// <summary>A weight of 10 %, an analysis of <paramref name="looks"/> looks every <paramref name="interval"/> (minutes unless said), a weight of 50 %.</summary>
    public static string Web(string name = "web", TimeSpan? interval = null, int looks = 3)
    {
        var every = interval ?? TimeSpan.FromMinutes(1);
        return $$"""
            apiVersion: canary-analysis/v1
            kind: CanaryPolicy
            metadata:
              name: {{name}}
            canary: 'version="canary"'
            checks:
              success-rate:
                kind: success-rate
                minimumSuccessRate: 0.95
            steps:
              - setWeight: 10
              - analysis: { name: check, interval: {{(int)every.TotalMilliseconds}}ms, duration: {{(int)(every.TotalMilliseconds * looks)}}ms, checks: [success-rate] }
              - setWeight: 50
            """;
    }

    /// <summary>A catalog of the documents (read from files, as a host reads them).</summary>
    public static PolicyCatalog Catalog(params string[] documents)
    {
        var directory = Directory.CreateTempSubdirectory("canary-policies-");
        try
        {
            for (var i = 0; i < documents.Length; i++)
            {
                File.WriteAllText(Path.Combine(directory.FullName, $"policy-{i}.yaml"), documents[i]);
            }

            return PolicyCatalog.LoadDirectory(directory.FullName);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
