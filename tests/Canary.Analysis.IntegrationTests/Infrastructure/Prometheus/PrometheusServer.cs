using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>Options of <see cref="PrometheusServer.StartAsync(OpenMetricsFixture, PrometheusServerOptions?, CancellationToken)"/>.</summary>
public sealed class PrometheusServerOptions
{
    /// <summary>Defaults to <see cref="PrometheusAvailability.Require"/>.</summary>
    public PrometheusBinaries? Binaries { get; init; }

    /// <summary>Bound on backfill + start-up + readiness (each step checks it).</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A PromQL query that must return a non-empty result at <see cref="ReadinessTime"/> before the server is
    /// handed out (proves the backfilled blocks are loaded). Null: <c>count({__name__=~".+"})</c>.
    /// Only checked when <see cref="ReadinessTime"/> is known: the fixture overload uses the fixture's end;
    /// with the text overloads set it yourself, otherwise only <c>/-/ready</c> is awaited.
    /// </summary>
    public string? ReadinessQuery { get; init; }

    public DateTimeOffset? ReadinessTime { get; init; }

    /// <summary>
    /// Reuse the TSDB blocks promtool made from the same OpenMetrics text (same SHA-256, same promtool binary)
    /// in an earlier run: they are kept under <c>$TMPDIR/canary-prometheus-blocks/</c> and copied into the new
    /// data directory, which skips the backfill (the slowest part of start-up). Entries unused for 7 days are pruned.
    /// </summary>
    public bool UseBlockCache { get; init; } = true;

    /// <summary>Extra command-line flags for prometheus (e.g. <c>--query.lookback-delta=1m</c>).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}

/// <summary>
/// A real Prometheus on a free 127.0.0.1 port, serving TSDB blocks backfilled from an OpenMetrics text with
/// promtool. Dispose kills the process tree and deletes the temporary directory.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private const int MaxOutputChars = 64 * 1024;
    private const string Config = "global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\nscrape_configs: []\n";

    private readonly Process _process;
    private readonly StringBuilder _output;
    private int _disposed;

    private PrometheusServer(Process process, StringBuilder output, Uri address, string directory, TimeSpan backfill)
    {
        _process = process;
        _output = output;
        Address = address;
        Directory = directory;
        BackfillDuration = backfill;
    }

    /// <summary>Base address, e.g. http://127.0.0.1:41234/ (the HTTP API is under api/v1/).</summary>
    public Uri Address { get; }

    /// <summary>Temporary directory holding the config and the TSDB (data/).</summary>
    public string Directory { get; }

    /// <summary>Time spent writing the OpenMetrics file and running promtool (or copying cached blocks).</summary>
    public TimeSpan BackfillDuration { get; }

    /// <summary>Time from process start until ready with the blocks visible.</summary>
    public TimeSpan StartupDuration { get; private set; }

    /// <summary>What prometheus printed so far (bounded), for diagnostics.</summary>
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

    public static Task<PrometheusServer> StartAsync(OpenMetricsFixture fixture, PrometheusServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        options ??= new PrometheusServerOptions();
        if (options.ReadinessTime is null)
        {
            options = new PrometheusServerOptions
            {
                Binaries = options.Binaries,
                StartupTimeout = options.StartupTimeout,
                ReadinessQuery = options.ReadinessQuery,
                ReadinessTime = fixture.End,
                UseBlockCache = options.UseBlockCache,
                ExtraArguments = options.ExtraArguments,
            };
        }

        return StartAsync(fixture.WriteTo, options, cancellationToken);
    }

    public static Task<PrometheusServer> StartAsync(string openMetricsText, PrometheusServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(openMetricsText);
        return StartAsync(writer => writer.Write(openMetricsText), options, cancellationToken);
    }

    /// <summary>
    /// Writes the OpenMetrics text with <paramref name="writeOpenMetrics"/>, backfills it, starts Prometheus.
    /// With <see cref="PrometheusServerOptions.UseBlockCache"/> the writer is called twice on a cache miss
    /// (once to hash, once to a file), so it must write the same text each time.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(Action<TextWriter> writeOpenMetrics, PrometheusServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writeOpenMetrics);
        options ??= new PrometheusServerOptions();
        var binaries = options.Binaries ?? PrometheusAvailability.Require();
        var deadline = Stopwatch.StartNew();
        var directory = Path.Combine(Path.GetTempPath(), "canary-prometheus-" + Guid.NewGuid().ToString("N")[..12]);
        var dataDirectory = Path.Combine(directory, "data");
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            var fixturePath = Path.Combine(directory, "fixture.om");
            var cacheEntry = options.UseBlockCache ? CacheEntry(writeOpenMetrics, binaries.Promtool) : null;
            if (cacheEntry is not null && System.IO.Directory.Exists(cacheEntry))
            {
                CopyDirectory(cacheEntry, dataDirectory);
                System.IO.Directory.SetLastWriteTimeUtc(cacheEntry, DateTime.UtcNow);
            }
            else
            {
                await using (var stream = new FileStream(fixturePath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
                await using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 20))
                {
                    writeOpenMetrics(writer);
                }

                await RunPromtoolAsync(binaries.Promtool, fixturePath, dataDirectory, options.StartupTimeout, cancellationToken);
                File.Delete(fixturePath);
                if (cacheEntry is not null)
                {
                    StoreInCache(dataDirectory, cacheEntry);
                }
            }
            var backfill = deadline.Elapsed;

            return await LaunchAsync(binaries, directory, dataDirectory, Config, backfill, options, deadline, cancellationToken);
        }
        catch
        {
            TryDeleteDirectory(directory);
            throw;
        }
    }

    /// <summary>
    /// Starts Prometheus with an empty TSDB and the given configuration (e.g. a scrape job against a live app), no backfill.
    /// Only <c>/-/ready</c> is awaited unless <see cref="PrometheusServerOptions.ReadinessTime"/> is set.
    /// </summary>
    public static async Task<PrometheusServer> StartWithConfigAsync(string configYaml, PrometheusServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configYaml);
        options ??= new PrometheusServerOptions();
        var binaries = options.Binaries ?? PrometheusAvailability.Require();
        var deadline = Stopwatch.StartNew();
        var directory = Path.Combine(Path.GetTempPath(), "canary-prometheus-" + Guid.NewGuid().ToString("N")[..12]);
        var dataDirectory = Path.Combine(directory, "data");
        System.IO.Directory.CreateDirectory(dataDirectory);
        try
        {
            return await LaunchAsync(binaries, directory, dataDirectory, configYaml, TimeSpan.Zero, options, deadline, cancellationToken);
        }
        catch
        {
            TryDeleteDirectory(directory);
            throw;
        }
    }

    private static async Task<PrometheusServer> LaunchAsync(
        PrometheusBinaries binaries, string directory, string dataDirectory, string config, TimeSpan backfill,
        PrometheusServerOptions options, Stopwatch deadline, CancellationToken cancellationToken)
    {
        {
            var configPath = Path.Combine(directory, "prometheus.yml");
            await File.WriteAllTextAsync(configPath, config, cancellationToken);

            for (var attempt = 1; ; attempt++)
            {
                var started = Stopwatch.StartNew();
                var port = FreeLoopbackPort();
                var output = new StringBuilder();
                var process = StartPrometheus(binaries.Prometheus, dataDirectory, configPath, port, options.ExtraArguments, output);
                var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
                var server = new PrometheusServer(process, output, address, directory, backfill);
                try
                {
                    await server.WaitUntilReadyAsync(options, deadline, cancellationToken);
                    server.StartupDuration = started.Elapsed;
                    return server;
                }
                catch (PortTakenException) when (attempt < 5)
                {
                    await server.StopProcessAsync();
                }
                catch
                {
                    await server.StopProcessAsync();
                    throw;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopProcessAsync();
        TryDeleteDirectory(Directory);
    }

    private static async Task RunPromtoolAsync(string promtool, string fixturePath, string dataDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(promtool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "tsdb", "create-blocks-from", "openmetrics", "--quiet", fixturePath, dataDirectory })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {promtool}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"promtool did not finish the backfill within {timeout.TotalSeconds:0} s.");
        }

        var error = await stderr;
        var outText = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"promtool tsdb create-blocks-from openmetrics failed with exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}:\n{error}\n{outText}".TrimEnd());
        }
    }

    /// <summary>Hashes the text (written once more, to a hash instead of a file) and the promtool binary's identity.</summary>
    private static string CacheEntry(Action<TextWriter> writeOpenMetrics, string promtool)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var tool = new FileInfo(promtool);
        sha.AppendData(Encoding.UTF8.GetBytes($"{tool.FullName}|{tool.Length}|{tool.LastWriteTimeUtc.Ticks}|"));
        using (var writer = new StreamWriter(new HashingStream(sha), new UTF8Encoding(false), 1 << 16))
        {
            writeOpenMetrics(writer);
        }

        var root = Path.Combine(Path.GetTempPath(), "canary-prometheus-blocks");
        PruneCache(root);
        return Path.Combine(root, Convert.ToHexString(sha.GetHashAndReset())[..32].ToLowerInvariant());
    }

    private static void StoreInCache(string dataDirectory, string cacheEntry)
    {
        // Copy aside, then rename: concurrent runs never see a half-written entry.
        var staging = cacheEntry + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            CopyDirectory(dataDirectory, staging);
            System.IO.Directory.Move(staging, cacheEntry);
        }
        catch (IOException)
        {
            TryDeleteDirectory(staging);
        }
        catch (UnauthorizedAccessException)
        {
            TryDeleteDirectory(staging);
        }
    }

    private static void PruneCache(string root)
    {
        if (!System.IO.Directory.Exists(root))
        {
            return;
        }

        foreach (var entry in new DirectoryInfo(root).EnumerateDirectories())
        {
            if (entry.LastWriteTimeUtc < DateTime.UtcNow.AddDays(-7))
            {
                TryDeleteDirectory(entry.FullName);
            }
        }
    }

    private static void CopyDirectory(string source, string destination)
    {
        System.IO.Directory.CreateDirectory(destination);
        foreach (var file in System.IO.Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (var directory in System.IO.Directory.EnumerateDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(destination, Path.GetFileName(directory)));
        }
    }

    private static Process StartPrometheus(string prometheus, string dataDirectory, string configPath, int port, IReadOnlyList<string> extraArguments, StringBuilder output)
    {
        var info = new ProcessStartInfo(prometheus)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--config.file=" + configPath);
        info.ArgumentList.Add("--storage.tsdb.path=" + dataDirectory);
        info.ArgumentList.Add("--storage.tsdb.retention.time=100y");
        info.ArgumentList.Add("--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
        foreach (var argument in extraArguments)
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
            throw new InvalidOperationException($"Could not start {prometheus}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilReadyAsync(PrometheusServerOptions options, Stopwatch deadline, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var query = options.ReadinessQuery ?? "count({__name__=~\".+\"})";
        var time = (options.ReadinessTime ?? DateTimeOffset.FromUnixTimeSeconds(0)).ToUnixTimeMilliseconds() / 1000.0;
        var queryUri = $"api/v1/query?query={Uri.EscapeDataString(query)}&time={time.ToString("0.###", CultureInfo.InvariantCulture)}";
        var ready = false;
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
                    $"prometheus exited with code {_process.ExitCode.ToString(CultureInfo.InvariantCulture)} before it was ready. Output:\n{output}");
            }

            if (deadline.Elapsed > options.StartupTimeout)
            {
                throw new TimeoutException(
                    $"prometheus at {Address} was not ready with data within {options.StartupTimeout.TotalSeconds:0} s " +
                    $"({lastProblem ?? "no answer"}). Output:\n{Output}");
            }

            try
            {
                if (!ready)
                {
                    using var response = await http.GetAsync(new Uri("-/ready", UriKind.Relative), cancellationToken);
                    ready = response.StatusCode == HttpStatusCode.OK;
                    lastProblem = ready ? null : $"/-/ready answered {(int)response.StatusCode}";
                }

                if (ready && options.ReadinessTime is not null)
                {
                    var body = await http.GetStringAsync(new Uri(queryUri, UriKind.Relative), cancellationToken);
                    using var document = JsonDocument.Parse(body);
                    if (document.RootElement.GetProperty("data").GetProperty("result").GetArrayLength() > 0)
                    {
                        return;
                    }

                    lastProblem = $"'{query}' returned no data yet";
                }
                else if (ready)
                {
                    return;
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

    private async Task StopProcessAsync()
    {
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

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is not worth failing a test run.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class PortTakenException : Exception
    {
    }

    /// <summary>A write-only stream that feeds an <see cref="IncrementalHash"/>.</summary>
    private sealed class HashingStream(IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => hash.AppendData(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => hash.AppendData(buffer);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
