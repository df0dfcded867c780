using System.Globalization;
using System.Text.Json;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Gate.Internal;

/// <summary>The gate's parsed and validated command line; every error names the argument and its value.</summary>
internal sealed class GateArguments
{
    public required Uri Prometheus { get; init; }

    public required LabelSelector Canary { get; init; }

    public LabelSelector? Baseline { get; init; }

    public required TrafficConvention Convention { get; init; }

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(15);

    public DateTimeOffset? At { get; init; }

    public EndpointWeights Weights { get; init; } = EndpointWeights.Equal();

    public double MinimumSuccessRate { get; init; } = 0.95;

    public double MinimumRequests { get; init; } = 50;

    public string? ReportDirectory { get; init; }

    public bool Wait { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    public string Name { get; init; } = "canary-gate";

    /// <summary>The most looks a window may hold (<c>--window</c> / <c>--interval</c>), to bound the queries of one run.</summary>
    public const int MaximumLooksPerWindow = 1440;

    /// <summary>Gets how many looks an interval apart the window holds (the first may be shorter).</summary>
    public int LooksPerWindow => (int)Math.Ceiling(Window / Interval);

    /// <summary>Gets the window of the sequential check's first look: what is left of the window after the others.</summary>
    public TimeSpan FirstLookWindow => Window - ((LooksPerWindow - 1) * Interval);

    /// <summary>The sequential looks inside the window before <paramref name="look"/>, oldest first.</summary>
    public DateTimeOffset[] EarlierLooks(DateTimeOffset look) =>
        [.. Enumerable.Range(1, LooksPerWindow - 1).Reverse().Select(k => look - (k * Interval))];

    /// <summary>Parses the arguments (<c>--name value</c> or <c>--name=value</c>).</summary>
    /// <exception cref="GateUsageException">An argument is unknown, missing, repeated or invalid.</exception>
    public static GateArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string name;
            string? value = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                (name, value) = (arg[..equals], arg[(equals + 1)..]);
            }
            else
            {
                name = arg;
            }

            if (name == "--wait")
            {
                if (value is not null)
                {
                    throw new GateUsageException($"{name} takes no value (got '{value}').");
                }

                flags.Add(name);
                continue;
            }

            if (!ValueOptions.Contains(name))
            {
                throw new GateUsageException($"Unknown argument '{arg}'. Run with --help for the list.");
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new GateUsageException($"{name} needs a value.");
                }

                value = args[++i];
            }

            if (!values.TryAdd(name, value))
            {
                throw new GateUsageException($"{name} is given twice ('{values[name]}' and '{value}').");
            }
        }

        var wait = flags.Contains("--wait");
        var baseline = Optional(values, "--baseline", v => Selector("--baseline", v));
        if (wait && baseline is null)
        {
            throw new GateUsageException("--wait needs --baseline: it compares the canary with the baseline look after look.");
        }

        var timeout = Value(values, "--timeout", v => Duration("--timeout", v));
        if (!wait && values.TryGetValue("--timeout", out var given))
        {
            throw new GateUsageException($"--timeout '{given}' only applies with --wait.");
        }

        var arguments = new GateArguments
        {
            Prometheus = Address(Required(values, "--prometheus")),
            Canary = Selector("--canary", Required(values, "--canary")),
            Baseline = baseline,
            Convention = ParseConvention(Optional(values, "--convention", v => v) ?? TrafficConvention.PrometheusNet.Name),
            Window = Value(values, "--window", v => Duration("--window", v)) ?? TimeSpan.FromMinutes(15),
            At = Value(values, "--at", Time),
            Weights = Optional(values, "--weights", ReadWeights) ?? EndpointWeights.Equal(),
            MinimumSuccessRate = Value(values, "--min-success-rate", v => Number("--min-success-rate", v, 0, 1)) ?? 0.95,
            MinimumRequests = Value(values, "--min-requests", v => Number("--min-requests", v, 0, double.MaxValue)) ?? 50,
            ReportDirectory = Optional(values, "--report", v => string.IsNullOrWhiteSpace(v) ? throw new GateUsageException("--report needs a directory (got an empty value).") : v),
            Wait = wait,
            Timeout = timeout ?? TimeSpan.FromMinutes(30),
            Interval = Value(values, "--interval", v => Duration("--interval", v)) ?? TimeSpan.FromMinutes(1),
            Name = Optional(values, "--name", v => string.IsNullOrWhiteSpace(v) ? throw new GateUsageException("--name needs a value (got an empty one).") : v) ?? "canary-gate",
        };
        if (arguments.Baseline is not null && arguments.Window / arguments.Interval > MaximumLooksPerWindow)
        {
            throw new GateUsageException(string.Create(CultureInfo.InvariantCulture,
                $"--window '{values.GetValueOrDefault("--window", "15m")}' holds {arguments.LooksPerWindow} looks of --interval '{values.GetValueOrDefault("--interval", "1m")}'; at most {MaximumLooksPerWindow}: raise --interval."));
        }

        return arguments;
    }

    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal)
    {
        "--prometheus", "--canary", "--baseline", "--convention", "--window", "--at", "--weights", "--min-success-rate",
        "--min-requests", "--report", "--timeout", "--interval", "--name",
    };

    private static string Required(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value) ? value : throw new GateUsageException($"{name} is required.");

    private static T? Optional<T>(Dictionary<string, string> values, string name, Func<string, T> parse)
        where T : class => values.TryGetValue(name, out var value) ? parse(value) : null;

    private static T? Value<T>(Dictionary<string, string> values, string name, Func<string, T> parse)
        where T : struct => values.TryGetValue(name, out var value) ? parse(value) : null;

    private static Uri Address(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new GateUsageException($"--prometheus '{value}' is not an absolute http(s) URL.");

    private static LabelSelector Selector(string name, string value)
    {
        try
        {
            var selector = LabelSelector.Parse(value);
            return selector.Matchers.Count > 0 ? selector : throw new GateUsageException($"{name} '{value}' selects every series: give at least one matcher, e.g. version=\"canary\".");
        }
        catch (FormatException e)
        {
            throw new GateUsageException($"{name} '{value}' is not a label selector: {e.Message}");
        }
    }

    private static TrafficConvention ParseConvention(string value) =>
        TrafficConvention.FindPreset(value)
        ?? throw new GateUsageException($"--convention '{value}' is not a preset; one of: {string.Join(", ", TrafficConvention.Presets.Select(p => p.Name))}.");

    /// <summary>A Prometheus-style duration: <c>90s</c>, <c>15m</c>, <c>1h30m</c>, <c>1d</c>, <c>500ms</c> (<see cref="PrometheusDuration"/>).</summary>
    private static TimeSpan Duration(string name, string value)
    {
        var total = PrometheusDuration.Parse(value) ?? throw new GateUsageException($"{name} '{value}' is not a duration such as 90s, 15m, 1h30m or 1d.");
        return total > TimeSpan.Zero ? total : throw new GateUsageException($"{name} '{value}' must be positive.");
    }

    private static DateTimeOffset Time(string value)
    {
        if (double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds < 1e11)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        }

        if (DateTimeOffset.TryParseExact(value, Rfc3339Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        throw new GateUsageException($"--at '{value}' is neither Unix seconds nor an RFC 3339 time such as 2026-12-06T04:00:00Z.");
    }

    private static readonly string[] Rfc3339Formats =
        ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    private static double Number(string name, string value, double minimum, double maximum) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= minimum && number <= maximum
            ? number
            : throw new GateUsageException(maximum == double.MaxValue
                ? $"{name} '{value}' is not a number ≥ {minimum.ToString(CultureInfo.InvariantCulture)}."
                : $"{name} '{value}' is not a number between {minimum.ToString(CultureInfo.InvariantCulture)} and {maximum.ToString(CultureInfo.InvariantCulture)}.");

    private static EndpointWeights ReadWeights(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new GateUsageException($"--weights '{path}' cannot be read: {e.Message}");
        }

        var weights = new EndpointWeights();
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new GateUsageException($"--weights '{path}' must hold a JSON object such as {{\"/api/pay\": 0.4, \"/api/search\": 0.2}}.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var weight) || weight < 0 || !double.IsFinite(weight))
                {
                    throw new GateUsageException($"--weights '{path}': the weight of '{property.Name}' is {property.Value.GetRawText()}, not a number ≥ 0.");
                }

                weights[property.Name] = weight;
            }
        }
        catch (JsonException e)
        {
            throw new GateUsageException($"--weights '{path}' is not valid JSON: {e.Message}");
        }

        return weights.Count > 0 && weights.Any(w => w.Value > 0)
            ? weights
            : throw new GateUsageException($"--weights '{path}' gives no endpoint a positive weight.");
    }
}
