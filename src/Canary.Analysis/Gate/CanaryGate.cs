using System.Globalization;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Gate.Internal;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Reports;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Gate;

/// <summary>
/// The CI gate behind <c>samples/gate/gate.cs</c> and <c>gate.csx</c>: judges a canary from Prometheus and returns a process exit
/// code (<see cref="GateExitCode"/>). One look by default: the canary's weighted success rate over a trailing window
/// (<see cref="SuccessRateCheck"/>) and, with <c>--baseline</c>, the always-valid comparison with the baseline
/// (<see cref="SequentialErrorRateCheck"/>, fed the window as looks <c>--interval</c> apart). With <c>--wait</c> it looks again every <c>--interval</c> until every check passes, one
/// fails, or <c>--timeout</c> runs out (then Inconclusive): the sequential check's α holds however many looks it takes.
/// </summary>
/// <remarks>Missing evidence never passes: too few requests, gaps in the data or no decision before the timeout are
/// Inconclusive (3), and a provider that cannot be read is a provider error (4).</remarks>
public static class CanaryGate
{
    /// <summary>The help text (<c>--help</c>).</summary>
    public static string Usage { get; } = """
        Usage: gate --prometheus URL --canary SELECTOR [options]

          --prometheus URL          Prometheus (or a Prometheus-API server) to read, e.g. http://prometheus:9090
          --canary SELECTOR         the canary's series, e.g. 'app="web",version="canary"'
          --baseline SELECTOR       the baseline's series; adds the sequential comparison with the baseline
          --convention NAME         metric convention preset (default prometheus-net): prometheus-net, express-prom-bundle, istio, ...
          --window DURATION         trailing window read at each look (default 15m; 90s, 15m, 1h30m, 1d)
          --at TIME                 when to judge: Unix seconds or RFC 3339 (default now)
          --weights FILE.json       endpoint weights, e.g. {"/api/pay": 0.4, "/api/search": 0.2} (default: every endpoint equal)
          --min-success-rate RATE   minimum weighted success rate, 0-1 (default 0.95)
          --min-requests N          fewest requests a judged endpoint needs (default 50)
          --report DIR              write report.json, summary.md, junit.xml and report.html into DIR
          --name NAME               the report's name (default canary-gate)
          --wait                    keep looking every --interval until a decision (needs --baseline)
          --interval DURATION       time between looks with --wait (default 1m)
          --timeout DURATION        give up (Inconclusive) after this long with --wait (default 30m)

        Exit codes: 0 pass, 1 fail, 2 usage error, 3 inconclusive, 4 provider error.

        """;

    /// <summary>Runs the gate.</summary>
    /// <param name="args">The command-line arguments (see <see cref="Usage"/>).</param>
    /// <param name="output">Where the looks and the verdict are written.</param>
    /// <param name="error">Where usage and provider errors are written.</param>
    /// <param name="timeProvider">The clock (the default time of <c>--at</c>, and the waits between looks); null for the system clock.</param>
    /// <param name="cancellationToken">Stops the gate.</param>
    /// <returns>The process exit code (<see cref="GateExitCode"/>).</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Any(a => a is "--help" or "-h"))
        {
            await output.WriteAsync(Usage).ConfigureAwait(false);
            return (int)GateExitCode.Pass;
        }

        GateArguments options;
        try
        {
            options = GateArguments.Parse(args);
        }
        catch (GateUsageException e)
        {
            await error.WriteLineAsync("gate: usage error: " + e.Message).ConfigureAwait(false);
            await error.WriteLineAsync("Run with --help for the arguments.").ConfigureAwait(false);
            return (int)GateExitCode.UsageError;
        }

        var clock = timeProvider ?? TimeProvider.System;
        using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = options.Prometheus });
        var source = new PrometheusTrafficSource(provider, options.Convention);
        var successRate = new SuccessRateCheck(source, options.Canary, options.Window, new SuccessRateCriteria
        {
            Weights = options.Weights,
            MinimumSuccessRate = options.MinimumSuccessRate,
            MinimumRequestsPerEndpoint = options.MinimumRequests,
        });
        var sequential = options.Baseline is null ? null : new SequentialErrorRateCheck(source, options.Canary, options.Baseline, options.FirstLookWindow, new SequentialErrorRateCriteria
        {
            Weights = options.Weights,
            MinimumRequestsPerEndpoint = options.MinimumRequests,
        });
        var look = options.At ?? clock.GetUtcNow();
        var earlierLooks = options.EarlierLooks(look);
        var deadline = look + options.Timeout;
        while (true)
        {
            var delay = look - clock.GetUtcNow();
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
            }

            var checks = new List<ReportCheck>(2);
            try
            {
                checks.Add(await Measured(successRate, look, output, cancellationToken).ConfigureAwait(false));
                if (sequential is not null)
                {
                    // The sequential evidence builds look by look: the first window is read as the looks an interval apart it
                    // holds (a single window adds no evidence of a regression until the burst dispersion can be estimated).
                    foreach (var earlier in earlierLooks)
                    {
                        await sequential.MeasureAsync(earlier, cancellationToken).ConfigureAwait(false);
                    }

                    earlierLooks = [];
                    checks.Add(await Measured(sequential, look, output, cancellationToken).ConfigureAwait(false));
                }
            }
            catch (Exception e) when (IsProviderError(e, cancellationToken))
            {
                // The check that could not be measured is reported as an error (JUnit <error>), never as a pass.
                var name = checks.Count == 0 ? SuccessRateEvaluator.CheckName : SequentialErrorRateCheck.CheckName;
                checks.Add(ReportCheck.Error(name, "Provider error: " + e.Message, look));
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"gate: provider error at {look:O}: {e.Message}")).ConfigureAwait(false);
            }

            var report = CanaryReport.Judgement(options.Name, look, [.. checks]);
            var next = look + options.Interval;
            if (report.Status == ReportStatus.Inconclusive && options.Wait && next <= deadline)
            {
                look = next;
                continue;
            }

            var code = ExitCode(report.Status);
            if (options.ReportDirectory is not null)
            {
                await ReportWriter.WriteAsync(report, options.ReportDirectory, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync("gate: reports written to " + Path.GetFullPath(options.ReportDirectory)).ConfigureAwait(false);
            }

            var timedOut = report.Status == ReportStatus.Inconclusive && options.Wait ? " (no decision before the timeout)" : string.Empty;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"gate: {code}{timedOut} — {report.Reason} (exit {(int)code})")).ConfigureAwait(false);
            return (int)code;
        }
    }

    private static async Task<ReportCheck> Measured(IAnalysisCheck check, DateTimeOffset look, TextWriter output, CancellationToken cancellationToken)
    {
        var result = await check.MeasureAsync(look, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{look:O} {result.Name}: {result.Verdict} — {result.Reason}")).ConfigureAwait(false);
        return ReportCheck.Of(result, look);
    }

    private static GateExitCode ExitCode(ReportStatus status) => status switch
    {
        ReportStatus.Passed => GateExitCode.Pass,
        ReportStatus.Failed => GateExitCode.Fail,
        ReportStatus.Error => GateExitCode.ProviderError,
        _ => GateExitCode.Inconclusive,
    };

    private static bool IsProviderError(Exception e, CancellationToken cancellationToken) =>
        e is MetricQueryException or HttpRequestException or TimeoutException or IOException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
