using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>Options of <see cref="VictoriaMetricsServer.StartAsync(OpenMetricsFixture, VictoriaMetricsServerOptions?, CancellationToken)"/>.</summary>
public sealed class VictoriaMetricsServerOptions
{
    /// <summary>Defaults to <see cref="VictoriaMetricsAvailability.Require"/>.</summary>
    public string? Binary { get; init; }

    /// <summary>Bound on start-up + import + readiness (each step checks it).</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A query that must return data at <see cref="ReadinessTime"/> before the server is handed out. Null: <c>count({__name__=~".+"})</c>.</summary>
    public string? ReadinessQuery { get; init; }

    /// <summary>When the readiness query is evaluated; the fixture overload uses the fixture's end. Null: only the import is awaited.</summary>
    public DateTimeOffset? ReadinessTime { get; init; }

    /// <summary>Extra command-line flags for victoria-metrics (e.g. <c>-search.maxStalenessInterval=5m</c>).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}

/// <summary>
/// A real single-node VictoriaMetrics on a free 127.0.0.1 port, holding the samples of an OpenMetrics text: the same
/// series, values and timestamps as <see cref="PrometheusServer"/> backfills with promtool, imported through
/// <c>/api/v1/import/prometheus</c> (timestamps rewritten from seconds to milliseconds, see
/// <see cref="MillisecondTimestampWriter"/>) and flushed so every sample is searchable before the server is handed out.
/// Dispose kills the process and deletes the temporary directory.
/// </summary>
/// <remarks>
/// Flags: <c>-retentionPeriod=100y</c> (the fixtures lie in 2026; anything outside the retention would be dropped silently),
/// <c>-search.disableCache</c> (no rollup result computed before the import finished can be served later) and
/// <c>-search.latencyOffset=0</c> (samples are visible at once; the default hides the last 30 s before now, which only
/// matters for live data). Nothing else is tuned: staleness, lookback and <c>increase()</c> are the engine's own.
/// </remarks>
public sealed class VictoriaMetricsServer : IAsyncDisposable
{
    private readonly LoopbackServerProcess _process;
    private int _disposed;

    private VictoriaMetricsServer(LoopbackServerProcess process, string directory, TimeSpan import, long samples, TimeSpan startup)
    {
        _process = process;
        Directory = directory;
        ImportDuration = import;
        ImportedSamples = samples;
        StartupDuration = startup;
    }

    /// <summary>Base address, e.g. http://127.0.0.1:41234/ (the Prometheus HTTP API is under api/v1/).</summary>
    public Uri Address => _process.Address;

    /// <summary>Temporary directory holding the storage (data/).</summary>
    public string Directory { get; }

    /// <summary>Time spent generating, sending and flushing the samples.</summary>
    public TimeSpan ImportDuration { get; }

    /// <summary>Number of samples sent to the import API.</summary>
    public long ImportedSamples { get; }

    /// <summary>Time from process start until ready with the samples visible.</summary>
    public TimeSpan StartupDuration { get; }

    /// <summary>What victoria-metrics printed so far (bounded), for diagnostics.</summary>
    public string Output => _process.Output;

    public static Task<VictoriaMetricsServer> StartAsync(OpenMetricsFixture fixture, VictoriaMetricsServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        options ??= new VictoriaMetricsServerOptions();
        return StartAsync(fixture.WriteTo, options.ReadinessTime is null
            ? new VictoriaMetricsServerOptions
            {
                Binary = options.Binary,
                StartupTimeout = options.StartupTimeout,
                ReadinessQuery = options.ReadinessQuery,
                ReadinessTime = fixture.End,
                ExtraArguments = options.ExtraArguments,
            }
            : options, cancellationToken);
    }

    public static Task<VictoriaMetricsServer> StartAsync(string openMetricsText, VictoriaMetricsServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(openMetricsText);
        return StartAsync(writer => writer.Write(openMetricsText), options, cancellationToken);
    }

    /// <summary>Starts VictoriaMetrics with an empty storage and imports what <paramref name="writeOpenMetrics"/> writes.</summary>
    public static async Task<VictoriaMetricsServer> StartAsync(Action<TextWriter> writeOpenMetrics, VictoriaMetricsServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writeOpenMetrics);
        options ??= new VictoriaMetricsServerOptions();
        var binary = options.Binary ?? VictoriaMetricsAvailability.Require();
        var deadline = Stopwatch.StartNew();
        var directory = Path.Combine(Path.GetTempPath(), "canary-victoria-metrics-" + Guid.NewGuid().ToString("N")[..12]);
        var dataDirectory = Path.Combine(directory, "data");
        System.IO.Directory.CreateDirectory(dataDirectory);
        LoopbackServerProcess? process = null;
        try
        {
            process = await LoopbackServerProcess.StartAsync(
                binary,
                port =>
                [
                    "-httpListenAddr=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
                    "-storageDataPath=" + dataDirectory,
                    "-retentionPeriod=100y",
                    "-search.disableCache",
                    "-search.latencyOffset=0",
                    .. options.ExtraArguments,
                ],
                "health",
                options.StartupTimeout,
                deadline,
                cancellationToken);
            var started = deadline.Elapsed;
            var samples = await ImportAsync(process.Address, writeOpenMetrics, options.StartupTimeout - deadline.Elapsed, cancellationToken);
            var import = deadline.Elapsed - started;
            if (options.ReadinessTime is { } time)
            {
                await process.WaitForDataAsync(options.ReadinessQuery ?? "count({__name__=~\".+\"})", time, options.StartupTimeout, deadline, cancellationToken);
            }

            return new VictoriaMetricsServer(process, directory, import, samples, deadline.Elapsed);
        }
        catch
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }

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

        await _process.DisposeAsync();
        LoopbackServerProcess.TryDeleteDirectory(Directory);
    }

    // Streams the rewritten text into /api/v1/import/prometheus, then asks for a flush of the in-memory buffers.
    private static async Task<long> ImportAsync(Uri address, Action<TextWriter> writeOpenMetrics, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = timeout > TimeSpan.Zero ? timeout : TimeSpan.FromSeconds(1) };
        var content = new ImportContent(writeOpenMetrics);
        using (var response = await http.PostAsync(new Uri("api/v1/import/prometheus", UriKind.Relative), content, cancellationToken))
        {
            if (response.StatusCode != HttpStatusCode.NoContent)
            {
                throw new InvalidOperationException(
                    $"victoria-metrics refused the import: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        using (var flush = await http.GetAsync(new Uri("internal/force_flush", UriKind.Relative), cancellationToken))
        {
            flush.EnsureSuccessStatusCode();
        }

        return content.Samples;
    }

    /// <summary>The request body: the OpenMetrics text, rewritten as it is written, never held in memory whole.</summary>
    private sealed class ImportContent(Action<TextWriter> writeOpenMetrics) : HttpContent
    {
        public long Samples { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 20, leaveOpen: true);
            using var rewriter = new MillisecondTimestampWriter(writer);
            writeOpenMetrics(rewriter);
            rewriter.Flush();
            Samples = rewriter.Samples;
            await writer.FlushAsync();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
