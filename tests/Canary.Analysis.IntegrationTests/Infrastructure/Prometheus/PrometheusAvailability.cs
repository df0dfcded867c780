namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>Paths of the Prometheus server and promtool binaries.</summary>
public sealed record PrometheusBinaries(string Prometheus, string Promtool);

/// <summary>
/// Locates <c>prometheus</c> and <c>promtool</c>: the environment variables <c>PROMETHEUS_BIN</c> /
/// <c>PROMTOOL_BIN</c> when set, otherwise the first match on <c>PATH</c> (Debian's package installs
/// /usr/bin/prometheus and /usr/bin/promtool).
/// <para>
/// Policy when they are missing (see DESIGN.md, "Real components in tests"): under <c>CI=true</c> tests that
/// need Prometheus FAIL with <see cref="MissingMessage"/> (CI installs the package, so absence is a broken
/// environment). Locally they are SKIPPED with that message as the reason, via <c>[PrometheusFact]</c> /
/// <c>[PrometheusTheory]</c>: xunit 2 has no dynamic skip, so the attribute decides at discovery time.
/// </para>
/// </summary>
public static class PrometheusAvailability
{
    private static readonly Lazy<PrometheusBinaries?> Located = new(Locate);

    /// <summary>The binaries, or null when either is missing.</summary>
    public static PrometheusBinaries? Binaries => Located.Value;

    public static bool IsAvailable => Binaries is not null;

    /// <summary>True when the environment variable CI equals "true" (case-insensitive).</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string MissingMessage =>
        "Prometheus is not installed: the integration tests need the 'prometheus' and 'promtool' binaries on PATH " +
        "(install them with: apt-get install -y prometheus), or set PROMETHEUS_BIN and PROMTOOL_BIN." +
        (IsCi ? " CI=true: these tests fail instead of being skipped." : string.Empty);

    /// <summary>The binaries, or an <see cref="InvalidOperationException"/> with <see cref="MissingMessage"/>.</summary>
    public static PrometheusBinaries Require() => Binaries ?? throw new InvalidOperationException(MissingMessage);

    private static PrometheusBinaries? Locate()
    {
        var prometheus = Find("PROMETHEUS_BIN", "prometheus");
        var promtool = Find("PROMTOOL_BIN", "promtool");
        return prometheus is not null && promtool is not null ? new PrometheusBinaries(prometheus, promtool) : null;
    }

    /// <summary>The file named by the environment variable <paramref name="variable"/> when set (null when missing), otherwise the first <paramref name="name"/> on PATH.</summary>
    internal static string? Find(string variable, string name)
    {
        var explicitPath = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return File.Exists(explicitPath) ? explicitPath : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, OperatingSystem.IsWindows() ? name + ".exe" : name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
