namespace Canary.Analysis.IntegrationTests.Observability;

/// <summary>Where the repository keeps the Grafana dashboard.</summary>
internal static class DashboardFile
{
    public static string Path
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = System.IO.Path.Combine(directory.FullName, "docs", "grafana", "canary-rollouts.json");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("docs/grafana/canary-rollouts.json not found above " + AppContext.BaseDirectory);
        }
    }
}
