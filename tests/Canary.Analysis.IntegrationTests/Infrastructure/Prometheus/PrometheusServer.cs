using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

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
    private const string Config = "global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\nscrape_configs: []\n";

    private readonly LoopbackServerProcess _process;
    private int _disposed;

    private PrometheusServer(LoopbackServerProcess process, string directory, TimeSpan backfill, TimeSpan startup)
    {
        _process = process;
        Directory = directory;
        BackfillDuration = backfill;
        StartupDuration = startup;
    }

    /// <summary>Base address, e.g. http://127.0.0.1:41234/ (the HTTP API is under api/v1/).</summary>
    public Uri Address => _process.Address;

    /// <summary>Temporary directory holding the config and the TSDB (data/).</summary>
    public string Directory { get; }

    /// <summary>Time spent writing the OpenMetrics file and running promtool (or copying cached blocks).</summary>
    public TimeSpan BackfillDuration { get; }

    /// <summary>Time from process start until ready with the blocks visible.</summary>
    public TimeSpan StartupDuration { get; }

    /// <summary>What prometheus printed so far (bounded), for diagnostics.</summary>
    public string Output => _process.Output;

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
        var configPath = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configPath, config, cancellationToken);
        var started = Stopwatch.StartNew();
        var process = await LoopbackServerProcess.StartAsync(
            binaries.Prometheus,
            port =>
            [
                "--config.file=" + configPath,
                "--storage.tsdb.path=" + dataDirectory,
                "--storage.tsdb.retention.time=100y",
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
                .. options.ExtraArguments,
            ],
            "-/ready",
            options.StartupTimeout,
            deadline,
            cancellationToken);
        try
        {
            if (options.ReadinessTime is { } time)
            {
                await process.WaitForDataAsync(options.ReadinessQuery ?? "count({__name__=~\".+\"})", time, options.StartupTimeout, deadline, cancellationToken);
            }

            return new PrometheusServer(process, directory, backfill, started.Elapsed);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _process.DisposeAsync();
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

    private static void TryDeleteDirectory(string directory) => LoopbackServerProcess.TryDeleteDirectory(directory);

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
