using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// A server process with a Prometheus HTTP API (Prometheus, VictoriaMetrics) on a free 127.0.0.1 port: its output captured
/// (bounded), started again on another port when the chosen one was taken meanwhile, awaited until its readiness path
/// answers 200, and killed with its process tree on dispose.
/// </summary>
internal sealed class LoopbackServerProcess : IAsyncDisposable
{
    private const int MaxOutputChars = 64 * 1024;
    private const int PortAttempts = 5;

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly string _name;
    private int _disposed;

    private LoopbackServerProcess(Process process, StringBuilder output, string name, Uri address)
    {
        _process = process;
        _output = output;
        _name = name;
        Address = address;
    }

    /// <summary>Base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    /// <summary>What the process printed so far (bounded), for diagnostics.</summary>
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

    /// <summary>
    /// Starts <paramref name="executable"/> with the arguments <paramref name="arguments"/> builds for a free port, and waits
    /// until <paramref name="readyPath"/> answers 200 (bounded by <paramref name="deadline"/> against <paramref name="timeout"/>).
    /// </summary>
    public static async Task<LoopbackServerProcess> StartAsync(
        string executable, Func<int, IEnumerable<string>> arguments, string readyPath, TimeSpan timeout, Stopwatch deadline, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var output = new StringBuilder();
            var process = Start(executable, arguments(port), output);
            var server = new LoopbackServerProcess(process, output, Path.GetFileName(executable), new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"));
            try
            {
                await server.WaitUntilAsync(readyPath, null, null, timeout, deadline, cancellationToken);
                return server;
            }
            catch (PortTakenException) when (attempt < PortAttempts)
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Waits until <paramref name="query"/> (PromQL) returns a non-empty result at <paramref name="time"/>.</summary>
    public Task WaitForDataAsync(string query, DateTimeOffset time, TimeSpan timeout, Stopwatch deadline, CancellationToken cancellationToken) =>
        WaitUntilAsync(null, query, time, timeout, deadline, cancellationToken);

    /// <summary>Deletes a directory and everything in it, quietly: a temp directory left behind is not worth failing a test run.</summary>
    public static void TryDeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        catch (OperationCanceledException)
        {
            // Did not exit in time; nothing more we can do.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static Process Start(string executable, IEnumerable<string> arguments, StringBuilder output)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                if (output.Length < MaxOutputChars)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {executable}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // Either the readiness path answers 200, or (path null) the query returns data at the time.
    private async Task WaitUntilAsync(string? readyPath, string? query, DateTimeOffset? time, TimeSpan timeout, Stopwatch deadline, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var seconds = ((time ?? DateTimeOffset.UnixEpoch).ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
        var queryUri = query is null ? null : new Uri($"api/v1/query?query={Uri.EscapeDataString(query)}&time={seconds}", UriKind.Relative);
        string? lastProblem = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                var output = Output;
                if (output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    throw new PortTakenException();
                }

                throw new InvalidOperationException(
                    $"{_name} exited with code {_process.ExitCode.ToString(CultureInfo.InvariantCulture)} before it was ready. Output:\n{output}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"{_name} at {Address} was not ready{(query is null ? string.Empty : " with data")} within {timeout.TotalSeconds:0} s " +
                    $"({lastProblem ?? "no answer"}). Output:\n{Output}");
            }

            try
            {
                if (queryUri is null)
                {
                    using var response = await http.GetAsync(new Uri(readyPath!, UriKind.Relative), cancellationToken);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }

                    lastProblem = $"/{readyPath} answered {(int)response.StatusCode}";
                }
                else
                {
                    var body = await http.GetStringAsync(queryUri, cancellationToken);
                    using var document = JsonDocument.Parse(body);
                    if (document.RootElement.GetProperty("data").GetProperty("result").GetArrayLength() > 0)
                    {
                        return;
                    }

                    lastProblem = $"'{query}' returned no data yet";
                }
            }
            catch (HttpRequestException e)
            {
                lastProblem = e.Message;
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                lastProblem = e.Message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private sealed class PortTakenException : Exception
    {
    }
}
