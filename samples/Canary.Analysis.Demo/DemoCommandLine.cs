using System.Globalization;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Demo;

/// <summary>The demo's options, parsed: the live demo's settings, or the recorded mode and its file.</summary>
internal sealed class DemoCommandLine
{
    public const string Usage =
        "Options: [--healthy] [--replicas N] [--skip-analysis REASON | --promote-now REASON] [--by NAME] [--metrics-out FILE], or --recorded [recording.json]; [--report DIR] with either.";

    private DemoCommandLine(LiveDemoOptions live, bool recorded, string? recording, string? reportDirectory) =>
        (Live, Recorded, Recording, ReportDirectory) = (live, recorded, recording, reportDirectory);

    /// <summary>Gets the live demo's options (ignored in recorded mode).</summary>
    public LiveDemoOptions Live { get; }

    /// <summary>Gets a value indicating whether to judge a recording instead of running live.</summary>
    public bool Recorded { get; }

    /// <summary>Gets the recording to judge; null means the bundled one.</summary>
    public string? Recording { get; }

    /// <summary>Gets the directory to write the reports into at the end (<c>--report DIR</c>), or null.</summary>
    public string? ReportDirectory { get; }

    /// <summary>Parses the arguments.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="user">Who gives a manual command when <c>--by</c> is not given (the OS user for the console).</param>
    /// <returns>The options.</returns>
    /// <exception cref="FormatException">An option is unknown, lacks its value or does not combine; the message says which.</exception>
    public static DemoCommandLine Parse(IReadOnlyList<string> args, string user)
    {
        bool healthy = false, recorded = false;
        int? replicas = null;
        string? recording = null, by = null, metricsOut = null, reportDirectory = null;
        (ManualAction Action, string Reason)? manual = null;
        var unknown = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--healthy":
                    healthy = true;
                    break;
                case "--recorded":
                    recorded = true;
                    if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        recording = args[++i];
                    }

                    break;
                case "--replicas":
                    var count = Value(args, ref i);
                    replicas = int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
                        ? n
                        : throw new FormatException($"--replicas needs a whole number of pods ≥ 1, not '{count}'.");
                    break;
                case "--skip-analysis" or "--promote-now":
                    var action = args[i] == "--promote-now" ? ManualAction.Promote : ManualAction.SkipAnalysis;
                    manual = manual is null
                        ? (action, Value(args, ref i))
                        : throw new FormatException("Give one manual command: --skip-analysis or --promote-now.");
                    break;
                case "--report":
                    reportDirectory = Value(args, ref i);
                    break;
                case "--by":
                    by = Value(args, ref i);
                    break;
                case "--metrics-out":
                    metricsOut = Value(args, ref i);
                    break;
                case var path when !path.StartsWith("--", StringComparison.Ordinal) && recording is null:
                    (recorded, recording) = (true, path); // a bare file name is a recording, as `--recorded FILE`
                    break;
                default:
                    unknown.Add(args[i]);
                    break;
            }
        }

        if (unknown.Count > 0)
        {
            throw new FormatException($"Unknown option(s): {string.Join(' ', unknown)}.");
        }

        if (recorded && (healthy || replicas is not null || manual is not null || by is not null || metricsOut is not null))
        {
            throw new FormatException("--recorded judges a recording: it takes no live option (--healthy, --replicas, --skip-analysis, --promote-now, --by, --metrics-out).");
        }

        if (by is not null && manual is null)
        {
            throw new FormatException("--by names who gives a manual command: use it with --skip-analysis or --promote-now.");
        }

        var live = new LiveDemoOptions
        {
            Healthy = healthy,
            Replicas = replicas,
            Manual = manual is { } m ? new ManualCommand(m.Action, by ?? user, m.Reason) : null,
            MetricsOut = metricsOut,
        };
        return new DemoCommandLine(live, recorded, recording, reportDirectory);
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        var option = args[i];
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(args[i + 1]))
        {
            throw new FormatException($"{option} needs a value.");
        }

        return args[++i];
    }
}
