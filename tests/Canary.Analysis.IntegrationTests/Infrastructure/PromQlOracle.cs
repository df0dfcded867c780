using System.Globalization;
using System.Text;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// One job of the standard fixture as a user sees it: its labels, the library's convention for it, and the
/// hand-written PromQL users write today (the oracle that Prometheus itself evaluates).
/// </summary>
public sealed record JobShape(string Job, string EndpointLabel, string CodeLabel, string SuccessRegex, TrafficConvention Convention)
{
    public const string Metric = "http_request_duration_seconds_count";

    public static JobShape AspNet { get; } = new(StandardFixture.AspNetJob, "endpoint", "code", "2..", TrafficConvention.PrometheusNet);

    public static JobShape Express { get; } = new(StandardFixture.ExpressJob, "path", "status_code", "2..", TrafficConvention.ExpressPromBundle);

    /// <summary>prometheus-net with <c>ReduceStatusCodeCardinality()</c>: code="2xx"/"5xx".</summary>
    public static JobShape Reduced { get; } = new(StandardFixture.ReducedJob, "endpoint", "code", "2..|2xx", TrafficConvention.PrometheusNet);

    public static JobShape ByJob(string job) => job switch
    {
        StandardFixture.AspNetJob => AspNet,
        StandardFixture.ExpressJob => Express,
        StandardFixture.ReducedJob => Reduced,
        _ => throw new ArgumentOutOfRangeException(nameof(job), job, "unknown job"),
    };

    /// <summary>The selector the library gets: <c>job="…",version="…"</c>.</summary>
    public LabelSelector Selector(string version) =>
        LabelSelector.Of(LabelMatcher.Equal("job", Job), LabelMatcher.Equal("version", version));

    /// <summary><c>sum(increase(metric{job,version[,endpoint][,code=~2xx]}[window]))</c>, written by hand.</summary>
    public string SumIncrease(string version, TimeSpan window, string? endpoint = null, bool successOnly = false, string? by = null)
    {
        var builder = new StringBuilder("sum");
        if (by is not null)
        {
            builder.Append(" by (").Append(by).Append(')');
        }

        builder.Append("(increase(").Append(Metric).Append("{job=").Append(Quote(Job)).Append(",version=").Append(Quote(version));
        if (endpoint is not null)
        {
            builder.Append(',').Append(EndpointLabel).Append('=').Append(Quote(endpoint));
        }

        if (successOnly)
        {
            builder.Append(',').Append(CodeLabel).Append("=~").Append(Quote(SuccessRegex));
        }

        builder.Append("}[").Append(Seconds(window)).Append("]))");
        return builder.ToString();
    }

    /// <summary>
    /// The weighted success rate the way users write it today:
    /// <c>((2xx₁ / all₁) * w₁ + (2xx₂ / all₂) * w₂ + …) / Σw</c>, one pair of selectors per endpoint.
    /// With <paramref name="guardEmptyNumerators"/>, every numerator is <c>(… or vector(0))</c>, so an endpoint without any
    /// 2xx series counts as 0 % instead of making the whole sum an empty vector.
    /// </summary>
    public string HandWrittenWeightedRate(string version, TimeSpan window, IReadOnlyList<(string Endpoint, double Weight)> weights, bool guardEmptyNumerators = false)
    {
        var terms = weights.Select(w =>
        {
            var numerator = SumIncrease(version, window, w.Endpoint, successOnly: true);
            if (guardEmptyNumerators)
            {
                numerator = "(" + numerator + " or vector(0))";
            }

            return $"({numerator} / {SumIncrease(version, window, w.Endpoint)}) * {Number(w.Weight)}";
        });
        return $"({string.Join(" + ", terms)}) / {Number(weights.Sum(w => w.Weight))}";
    }

    /// <summary>The plain aggregate: <c>sum(increase(2xx)) / sum(increase(all))</c>.</summary>
    public string Aggregate(string version, TimeSpan window) =>
        $"{SumIncrease(version, window, successOnly: true)} / {SumIncrease(version, window)}";

    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public static string Seconds(TimeSpan window) => ((long)window.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Relative comparison for values Prometheus and the library compute in different summation orders.</summary>
public static class Close
{
    public static void Equal(double expected, double actual, double relative = 1e-9, string? what = null)
    {
        var tolerance = relative * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance,
            $"{what}: expected {expected:R} (Prometheus), got {actual:R} (library); |diff| = {Math.Abs(expected - actual):R} > {tolerance:R}");
    }
}
