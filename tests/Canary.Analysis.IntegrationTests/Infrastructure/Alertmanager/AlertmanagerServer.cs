using System.Diagnostics;
using System.Globalization;

namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// A real Alertmanager (Debian's <c>prometheus-alertmanager</c>) on a free 127.0.0.1 port, clustering off, its storage in a
/// temporary directory, with the configuration given. Dispose kills it and deletes the directory. The process handling is
/// <see cref="LoopbackServerProcess"/>'s (Alertmanager answers <c>/-/ready</c> as Prometheus does).
/// </summary>
public sealed class AlertmanagerServer : IAsyncDisposable
{
    private readonly LoopbackServerProcess _server;
    private int _disposed;

    private AlertmanagerServer(LoopbackServerProcess server, string directory)
    {
        _server = server;
        Directory = directory;
    }

    /// <summary>Gets the binary, or null when it is not installed (<c>ALERTMANAGER_BIN</c>, else <c>prometheus-alertmanager</c> or <c>alertmanager</c> on PATH).</summary>
    public static string? Binary { get; } = Locate();

    /// <summary>Gets why the tests cannot run without it.</summary>
    public static string MissingMessage =>
        "Alertmanager is not installed: install it with apt-get install -y prometheus-alertmanager, or set ALERTMANAGER_BIN." +
        (PrometheusAvailability.IsCi ? " CI=true: these tests fail instead of being skipped." : string.Empty);

    /// <summary>Gets the base address, e.g. http://127.0.0.1:41234/ (the API is under api/v2/).</summary>
    public Uri Address => _server.Address;

    /// <summary>Gets the temporary directory with the configuration and the storage.</summary>
    public string Directory { get; }

    /// <summary>Gets what Alertmanager printed so far (bounded), for diagnostics.</summary>
    public string Output => _server.Output;

    public static async Task<AlertmanagerServer> StartAsync(string configYaml, CancellationToken cancellationToken = default)
    {
        var binary = Binary ?? throw new InvalidOperationException(MissingMessage);
        var directory = Path.Combine(Path.GetTempPath(), "canary-alertmanager-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "data"));
        var config = Path.Combine(directory, "alertmanager.yml");
        try
        {
            await File.WriteAllTextAsync(config, configYaml, cancellationToken);
            var server = await LoopbackServerProcess.StartAsync(
                binary,
                port =>
                [
                    "--config.file=" + config,
                    "--storage.path=" + Path.Combine(directory, "data"),
                    "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
                    "--cluster.listen-address=",
                ],
                "-/ready",
                TimeSpan.FromSeconds(30),
                Stopwatch.StartNew(),
                cancellationToken);
            return new AlertmanagerServer(server, directory);
        }
        catch
        {
            LoopbackServerProcess.TryDeleteDirectory(directory);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _server.DisposeAsync();
        LoopbackServerProcess.TryDeleteDirectory(Directory);
    }

    private static string? Locate()
    {
        var explicitPath = Environment.GetEnvironmentVariable("ALERTMANAGER_BIN");
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return File.Exists(explicitPath) ? explicitPath : null;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            foreach (var name in new[] { "prometheus-alertmanager", "alertmanager" })
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}

/// <summary>A fact that needs Alertmanager: skipped without it locally, failing under CI=true.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlertmanagerFactAttribute : FactAttribute
{
    public AlertmanagerFactAttribute()
    {
        if (AlertmanagerServer.Binary is null && !PrometheusAvailability.IsCi)
        {
            Skip = AlertmanagerServer.MissingMessage;
        }
    }
}
