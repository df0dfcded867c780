using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// A real Alertmanager (Debian's <c>prometheus-alertmanager</c>) on a free 127.0.0.1 port, clustering off, its storage in a
/// temporary directory, with the configuration given. Dispose kills it and deletes the directory.
/// </summary>
public sealed class AlertmanagerServer : IAsyncDisposable
{
    private const int MaxOutputChars = 64 * 1024;
    private readonly Process _process;
    private readonly StringBuilder _output;
    private int _disposed;

    private AlertmanagerServer(Process process, StringBuilder output, Uri address, string directory)
    {
        _process = process;
        _output = output;
        Address = address;
        Directory = directory;
    }

    /// <summary>Gets the binary, or null when it is not installed (<c>ALERTMANAGER_BIN</c>, else <c>prometheus-alertmanager</c> or <c>alertmanager</c> on PATH).</summary>
    public static string? Binary { get; } = Locate();

    /// <summary>Gets why the tests cannot run without it.</summary>
    public static string MissingMessage =>
        "Alertmanager is not installed: install it with apt-get install -y prometheus-alertmanager, or set ALERTMANAGER_BIN." +
        (PrometheusAvailability.IsCi ? " CI=true: these tests fail instead of being skipped." : string.Empty);

    /// <summary>Gets the base address, e.g. http://127.0.0.1:41234/ (the API is under api/v2/).</summary>
    public Uri Address { get; }

    /// <summary>Gets the temporary directory with the configuration and the storage.</summary>
    public string Directory { get; }

    /// <summary>Gets what Alertmanager printed so far (bounded), for diagnostics.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<AlertmanagerServer> StartAsync(string configYaml, CancellationToken cancellationToken = default)
    {
        var binary = Binary ?? throw new InvalidOperationException(MissingMessage);
        var directory = Path.Combine(Path.GetTempPath(), "canary-alertmanager-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "data"));
        var config = Path.Combine(directory, "alertmanager.yml");
        await File.WriteAllTextAsync(config, configYaml, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var output = new StringBuilder();
            var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("--config.file=" + config);
            info.ArgumentList.Add("--storage.path=" + Path.Combine(directory, "data"));
            info.ArgumentList.Add("--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
            info.ArgumentList.Add("--cluster.listen-address=");
            var process = new Process { StartInfo = info };
            DataReceivedEventHandler append = (_, e) =>
            {
                lock (output)
                {
                    if (e.Data is not null && output.Length < MaxOutputChars)
                    {
                        output.AppendLine(e.Data);
                    }
                }
            };
            process.OutputDataReceived += append;
            process.ErrorDataReceived += append;
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new AlertmanagerServer(process, output, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), directory);
            try
            {
                await server.WaitUntilReadyAsync(cancellationToken);
                return server;
            }
            catch (IOException) when (attempt < 5 && server.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await server.StopAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StopAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new IOException($"alertmanager exited with code {_process.ExitCode} before it was ready. Output:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Address, "-/ready"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"alertmanager was not ready within 30 s. Output:\n{Output}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
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
