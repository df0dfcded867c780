// Deterministic OpenMetrics fixtures of HTTP request-duration histograms, for backfilling a real Prometheus
// with `promtool tsdb create-blocks-from openmetrics`.
//
// This file (like everything under Infrastructure/Fixtures and Infrastructure/Prometheus) has no xunit
// dependency so it can be linked into another project, e.g. the benchmarks:
//   <Compile Include="../../tests/Canary.Analysis.IntegrationTests/Infrastructure/Fixtures/*.cs" LinkBase="Fixtures" />
//   <Compile Include="../../tests/Canary.Analysis.IntegrationTests/Infrastructure/Prometheus/*.cs" LinkBase="Prometheus" />
using System.Globalization;
using System.Text;

namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>Label names and bucket bounds of one HTTP request-duration histogram convention.</summary>
public sealed class HistogramShape
{
    /// <summary>prometheus-net.AspNetCore: <c>endpoint</c>, <c>code</c>, <c>method</c>; buckets 0.001·2^k, k = 0..15.</summary>
    public static HistogramShape PrometheusNet { get; } = new()
    {
        EndpointLabel = "endpoint",
        CodeLabel = "code",
        Buckets = Enumerable.Range(0, 16).Select(k => 0.001 * Math.Pow(2, k)).ToArray(),
    };

    /// <summary>express-prom-bundle: <c>path</c>, <c>status_code</c>, <c>method</c>; its default buckets.</summary>
    public static HistogramShape ExpressPromBundle { get; } = new()
    {
        EndpointLabel = "path",
        CodeLabel = "status_code",
        Buckets = [0.003, 0.03, 0.1, 0.3, 1.5, 10],
    };

    public string MetricName { get; init; } = "http_request_duration_seconds";

    public required string EndpointLabel { get; init; }

    public required string CodeLabel { get; init; }

    public string MethodLabel { get; init; } = "method";

    /// <summary>Finite upper bounds, ascending; <c>+Inf</c> is always added.</summary>
    public required IReadOnlyList<double> Buckets { get; init; }
}

/// <summary>A half-open time range (From, To], like a Prometheus range selector ending at To.</summary>
public readonly record struct TimeRange(DateTimeOffset From, DateTimeOffset To)
{
    public bool Contains(DateTimeOffset t) => t > From && t <= To;
}

/// <summary>One request placed at a fixed time (recorded at the first scrape at or after it).</summary>
public readonly record struct FixedRequest(DateTimeOffset At, string Code, double LatencySeconds = 0.05);

/// <summary>Traffic of one version of one endpoint, summed over the version's pods.</summary>
public sealed record TrafficProfile
{
    /// <summary>Mean requests per second (Poisson); split evenly over the version's pods that are up.</summary>
    public double RequestsPerSecond { get; init; }

    /// <summary>Share of each status code (normalised by their sum). Codes absent here never get a series.</summary>
    public IReadOnlyDictionary<string, double> CodeShares { get; init; } = new Dictionary<string, double> { ["200"] = 1 };

    public double MedianLatencySeconds { get; init; } = 0.02;

    /// <summary>σ of ln(latency) (log-normal latency).</summary>
    public double LatencySpread { get; init; } = 0.6;

    /// <summary>Periods without random requests (fixed requests still happen).</summary>
    public IReadOnlyList<TimeRange> QuietPeriods { get; init; } = [];

    public IReadOnlyList<FixedRequest> FixedRequests { get; init; } = [];
}

/// <summary>An endpoint with its baseline and canary traffic.</summary>
public sealed record EndpointProfile(string Name, string Method, TrafficProfile Baseline, TrafficProfile Canary)
{
    public TrafficProfile For(string version) => version == FixtureVersions.Canary ? Canary : Baseline;
}

/// <summary>A pod of one version; when <see cref="RestartAt"/> is set, the pod misses the scrape at or after
/// that time and its counters start again from 0 (series re-appear at their first observation).</summary>
public sealed record PodSpec(string Name, string Version, DateTimeOffset? RestartAt = null);

/// <summary>One scrape job: its histogram convention, pods and endpoints.</summary>
public sealed record JobSpec(string Job, HistogramShape Shape, IReadOnlyList<PodSpec> Pods, IReadOnlyList<EndpointProfile> Endpoints)
{
    /// <summary>First sample time of this job (defaults to the builder's start).</summary>
    public DateTimeOffset? Start { get; init; }
}

/// <summary>The values of the <c>version</c> label.</summary>
public static class FixtureVersions
{
    public const string Baseline = "baseline";
    public const string Canary = "canary";
}

/// <summary>Exact number of requests generated for (job, version, endpoint, code) in a time range.</summary>
public readonly record struct GeneratedCount(string Job, string Version, string Endpoint, string Code, long Requests);

/// <summary>
/// Generates deterministic OpenMetrics text (seeded <see cref="Random"/>): one sample per series every
/// <c>step</c>, counters cumulative, series sorted per labelset and time as promtool requires.
/// Requests arriving in (t − step, t] are recorded at the scrape at t.
/// </summary>
public sealed class OpenMetricsFixtureBuilder
{
    private readonly int _seed;
    private readonly DateTimeOffset _start;
    private readonly DateTimeOffset _end;
    private readonly TimeSpan _step;
    private readonly List<JobSpec> _jobs = [];

    public OpenMetricsFixtureBuilder(int seed, DateTimeOffset start, DateTimeOffset end, TimeSpan? step = null)
    {
        _step = step ?? TimeSpan.FromSeconds(15);
        if (_step <= TimeSpan.Zero || _step.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), "The step must be a positive whole number of seconds.");
        }

        if (end <= start)
        {
            throw new ArgumentOutOfRangeException(nameof(end), "The end must be after the start.");
        }

        _seed = seed;
        _start = start;
        _end = end;
    }

    public OpenMetricsFixtureBuilder AddJob(JobSpec job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (_jobs.Any(j => j.Job == job.Job))
        {
            throw new ArgumentException($"Job '{job.Job}' is already defined.", nameof(job));
        }

        _jobs.Add(job);
        return this;
    }

    public OpenMetricsFixture Build()
    {
        var steps = (int)((_end - _start).Ticks / _step.Ticks) + 1;
        var times = new DateTimeOffset[steps];
        for (var i = 0; i < steps; i++)
        {
            times[i] = _start + (_step * i);
        }

        var series = new List<GeneratedSeries>();
        foreach (var job in _jobs)
        {
            series.AddRange(Simulate(job, times));
        }

        return new OpenMetricsFixture(_start, _end, _step, times, series);
    }

    private List<GeneratedSeries> Simulate(JobSpec job, DateTimeOffset[] times)
    {
        var firstStep = job.Start is { } s ? Math.Max(0, Array.FindIndex(times, t => t >= s)) : 0;
        var bins = job.Shape.Buckets.Count + 1;
        var result = new List<GeneratedSeries>();
        var seconds = _step.TotalSeconds;

        // Restart step per pod: no scrape at that step, counters from 0 after it.
        var restartStep = job.Pods.ToDictionary(p => p.Name, p => p.RestartAt is { } r ? Array.FindIndex(times, t => t >= r) : -1);

        foreach (var endpoint in job.Endpoints)
        {
            foreach (var version in new[] { FixtureVersions.Baseline, FixtureVersions.Canary })
            {
                var pods = job.Pods.Where(p => p.Version == version).ToArray();
                var profile = endpoint.For(version);
                if (pods.Length == 0)
                {
                    continue;
                }

                var codes = profile.CodeShares.Where(kv => kv.Value > 0).Select(kv => kv.Key)
                    .Concat(profile.FixedRequests.Select(f => f.Code)).Distinct().OrderBy(c => c, StringComparer.Ordinal).ToArray();
                var cumulativeShares = CumulativeShares(profile, codes);
                var zThresholds = job.Shape.Buckets.Select(b => Math.Log(b / profile.MedianLatencySeconds) / profile.LatencySpread).ToArray();

                var perPod = pods.Select(p => codes.Select(c => new GeneratedSeries(job, endpoint, version, p, c, times.Length, bins, firstStep, restartStep[p.Name])).ToArray()).ToArray();
                var random = new Random(StableSeed(_seed, job.Job, endpoint.Name, endpoint.Method, version));
                var normal = new NormalSource(random);

                for (var step = firstStep; step < times.Length; step++)
                {
                    var up = Enumerable.Range(0, pods.Length).Where(p => restartStep[pods[p].Name] != step).ToArray();
                    if (up.Length == 0)
                    {
                        continue;
                    }

                    var quiet = profile.QuietPeriods.Any(q => q.Contains(times[step]));
                    var lambda = quiet ? 0 : profile.RequestsPerSecond * seconds / up.Length;
                    foreach (var p in up)
                    {
                        var n = Poisson(random, normal, lambda);
                        for (var r = 0; r < n; r++)
                        {
                            var code = Pick(cumulativeShares, random.NextDouble());
                            var z = normal.Next();
                            var bin = 0;
                            while (bin < zThresholds.Length && z > zThresholds[bin])
                            {
                                bin++;
                            }

                            perPod[p][code].Record(step, bin, profile.MedianLatencySeconds * Math.Exp(profile.LatencySpread * z));
                        }
                    }

                    foreach (var fixedRequest in profile.FixedRequests)
                    {
                        if (fixedRequest.At > (step == 0 ? DateTimeOffset.MinValue : times[step - 1]) && fixedRequest.At <= times[step])
                        {
                            var bin = 0;
                            while (bin < job.Shape.Buckets.Count && fixedRequest.LatencySeconds > job.Shape.Buckets[bin])
                            {
                                bin++;
                            }

                            perPod[up[0]][Array.IndexOf(codes, fixedRequest.Code)].Record(step, bin, fixedRequest.LatencySeconds);
                        }
                    }
                }

                result.AddRange(perPod.SelectMany(s => s).Where(s => s.TotalRequests > 0));
            }
        }

        return result;
    }

    private static double[] CumulativeShares(TrafficProfile profile, string[] codes)
    {
        var shares = codes.Select(c => profile.CodeShares.TryGetValue(c, out var v) && v > 0 ? v : 0).ToArray();
        var total = shares.Sum();
        var cumulative = new double[codes.Length];
        var running = 0.0;
        for (var i = 0; i < codes.Length; i++)
        {
            running += total > 0 ? shares[i] / total : 0;
            cumulative[i] = running;
        }

        return cumulative;
    }

    private static int Pick(double[] cumulative, double u)
    {
        for (var i = 0; i < cumulative.Length; i++)
        {
            if (u < cumulative[i])
            {
                return i;
            }
        }

        // Rounding at the top: the last code with a positive share.
        for (var i = cumulative.Length - 1; i > 0; i--)
        {
            if (cumulative[i] > cumulative[i - 1])
            {
                return i;
            }
        }

        return 0;
    }

    private static int Poisson(Random random, NormalSource normal, double lambda)
    {
        if (lambda <= 0)
        {
            return 0;
        }

        if (lambda > 30)
        {
            return (int)Math.Max(0, Math.Round(lambda + (Math.Sqrt(lambda) * normal.Next())));
        }

        var limit = Math.Exp(-lambda);
        var k = 0;
        var product = random.NextDouble();
        while (product > limit)
        {
            k++;
            product *= random.NextDouble();
        }

        return k;
    }

    /// <summary>FNV-1a over the parts: stable across processes (unlike string.GetHashCode).</summary>
    private static int StableSeed(int seed, params string[] parts)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var part in parts)
        {
            foreach (var ch in part)
            {
                hash = (hash ^ ch) * 16777619u;
            }

            hash = (hash ^ 0xFF) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    private sealed class NormalSource(Random random)
    {
        private double _spare;
        private bool _hasSpare;

        public double Next()
        {
            if (_hasSpare)
            {
                _hasSpare = false;
                return _spare;
            }

            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var radius = Math.Sqrt(-2.0 * Math.Log(u1));
            _spare = radius * Math.Sin(2 * Math.PI * u2);
            _hasSpare = true;
            return radius * Math.Cos(2 * Math.PI * u2);
        }
    }
}

/// <summary>One generated histogram labelset (its buckets, sum and count) with per-step increments.</summary>
internal sealed class GeneratedSeries
{
    private readonly int[] _binIncrements;
    private readonly int _bins;

    public GeneratedSeries(JobSpec job, EndpointProfile endpoint, string version, PodSpec pod, string code, int steps, int bins, int firstStep, int restartStep)
    {
        Job = job;
        Endpoint = endpoint;
        Version = version;
        Pod = pod;
        Code = code;
        FirstStep = firstStep;
        RestartStep = restartStep;
        _bins = bins;
        _binIncrements = new int[steps * bins];
        CountIncrements = new int[steps];
        SumIncrements = new double[steps];
    }

    public JobSpec Job { get; }

    public EndpointProfile Endpoint { get; }

    public string Version { get; }

    public PodSpec Pod { get; }

    public string Code { get; }

    public int FirstStep { get; }

    public int RestartStep { get; }

    public int[] CountIncrements { get; }

    public double[] SumIncrements { get; }

    public long TotalRequests { get; private set; }

    public int BinIncrement(int step, int bin) => _binIncrements[(step * _bins) + bin];

    public void Record(int step, int bin, double latency)
    {
        _binIncrements[(step * _bins) + bin]++;
        CountIncrements[step]++;
        SumIncrements[step] += latency;
        TotalRequests++;
    }
}

/// <summary>A generated fixture: writes its OpenMetrics text and answers exact counts.</summary>
public sealed class OpenMetricsFixture
{
    private readonly DateTimeOffset[] _times;
    private readonly List<GeneratedSeries> _series;

    internal OpenMetricsFixture(DateTimeOffset start, DateTimeOffset end, TimeSpan step, DateTimeOffset[] times, List<GeneratedSeries> series)
    {
        Start = start;
        End = end;
        Step = step;
        _times = times;
        _series = series;
        SeriesCount = series.Sum(s => s.Job.Shape.Buckets.Count + 3);
    }

    public DateTimeOffset Start { get; }

    public DateTimeOffset End { get; }

    public TimeSpan Step { get; }

    /// <summary>Number of Prometheus series (each labelset has its buckets, +Inf, _sum and _count).</summary>
    public int SeriesCount { get; }

    /// <summary>Jobs in the fixture.</summary>
    public IReadOnlyList<string> Jobs => _series.Select(s => s.Job.Job).Distinct().ToArray();

    /// <summary>Distinct endpoint names of a job (an endpoint served with two methods counts once), in definition order.</summary>
    public IReadOnlyList<string> Endpoints(string job) => _series.Where(s => s.Job.Job == job).Select(s => s.Job).FirstOrDefault()?.Endpoints.Select(e => e.Name).Distinct().ToArray() ?? [];

    /// <summary>
    /// Exact number of requests recorded at scrapes with timestamps in (from, to] (default: the whole fixture),
    /// summed over pods (only <paramref name="pod"/> when set) and codes (when <paramref name="code"/> is null).
    /// Prometheus' <c>increase()</c>
    /// extrapolates to the window edges and only sees the samples inside the window, so it is close to,
    /// not equal to, this number; <c>last − first</c> sample arithmetic without resets matches exactly.
    /// </summary>
    public long RequestCount(string job, string version, string endpoint, string? code = null, DateTimeOffset? from = null, DateTimeOffset? to = null, string? pod = null)
    {
        var range = Steps(from, to);
        long total = 0;
        foreach (var s in _series)
        {
            if (s.Job.Job == job && s.Version == version && s.Endpoint.Name == endpoint && (code is null || s.Code == code) && (pod is null || s.Pod.Name == pod))
            {
                for (var i = range.Start.Value; i < range.End.Value; i++)
                {
                    total += s.CountIncrements[i];
                }
            }
        }

        return total;
    }

    /// <summary>Exact counts per (job, version, endpoint, code) in (from, to], summed over pods; zero counts omitted.</summary>
    public IReadOnlyList<GeneratedCount> Counts(DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var range = Steps(from, to);
        return _series
            .GroupBy(s => (s.Job.Job, s.Version, Endpoint: s.Endpoint.Name, s.Code))
            .Select(g => new GeneratedCount(g.Key.Job, g.Key.Version, g.Key.Endpoint, g.Key.Code,
                g.Sum(s => (long)s.CountIncrements[range].Sum())))
            .Where(c => c.Requests > 0)
            .ToArray();
    }

    /// <summary>The OpenMetrics text as a string (fine for small fixtures; prefer <see cref="WriteTo"/>).</summary>
    public string ToOpenMetricsText()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteTo(writer);
        return writer.ToString();
    }

    public void WriteToFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 20);
        WriteTo(writer);
    }

    /// <summary>Writes the OpenMetrics exposition: one family per metric name, series by series, time ascending, then <c># EOF</c>.</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> number = stackalloc char[64];
        foreach (var family in _series.GroupBy(s => s.Job.Shape.MetricName))
        {
            writer.Write("# HELP ");
            writer.Write(family.Key);
            writer.Write(" The duration of HTTP requests processed by the application.\n# TYPE ");
            writer.Write(family.Key);
            writer.Write(" histogram\n");

            foreach (var s in family)
            {
                var shape = s.Job.Shape;
                var labels = new StringBuilder()
                    .Append("job=\"").Append(Escape(s.Job.Job))
                    .Append("\",").Append(shape.EndpointLabel).Append("=\"").Append(Escape(s.Endpoint.Name))
                    .Append("\",").Append(shape.CodeLabel).Append("=\"").Append(Escape(s.Code))
                    .Append("\",").Append(shape.MethodLabel).Append("=\"").Append(Escape(s.Endpoint.Method))
                    .Append("\",version=\"").Append(Escape(s.Version))
                    .Append("\",pod=\"").Append(Escape(s.Pod.Name)).Append('"').ToString();

                var bins = shape.Buckets.Count + 1;
                for (var b = 0; b < bins; b++)
                {
                    var le = b < shape.Buckets.Count ? shape.Buckets[b].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
                    var prefix = $"{family.Key}_bucket{{{labels},le=\"{le}\"}} ";
                    WriteSeries(writer, s, prefix, number, step => Cumulative(s, step, b));
                }

                WriteSeries(writer, s, $"{family.Key}_sum{{{labels}}} ", number, null, sum: true);
                WriteSeries(writer, s, $"{family.Key}_count{{{labels}}} ", number, step => s.CountIncrements[step]);
            }
        }

        writer.Write("# EOF\n");
    }

    private static long Cumulative(GeneratedSeries s, int step, int bin)
    {
        long total = 0;
        for (var b = 0; b <= bin; b++)
        {
            total += s.BinIncrement(step, b);
        }

        return total;
    }

    private void WriteSeries(TextWriter writer, GeneratedSeries s, string prefix, Span<char> number, Func<int, long>? increment, bool sum = false)
    {
        var created = false;
        long value = 0;
        var sumValue = 0.0;
        for (var step = s.FirstStep; step < _times.Length; step++)
        {
            if (step == s.RestartStep)
            {
                // The pod is down for this scrape; afterwards counters restart and series re-appear lazily.
                created = false;
                value = 0;
                sumValue = 0;
                continue;
            }

            if (s.CountIncrements[step] > 0)
            {
                created = true;
            }

            if (sum)
            {
                sumValue += s.SumIncrements[step];
            }
            else
            {
                value += increment!(step);
            }

            if (!created)
            {
                continue;
            }

            writer.Write(prefix);
            if (sum)
            {
                Math.Round(sumValue, 6).TryFormat(number, out var n, "0.######", CultureInfo.InvariantCulture);
                writer.Write(number[..n]);
            }
            else
            {
                value.TryFormat(number, out var n, default, CultureInfo.InvariantCulture);
                writer.Write(number[..n]);
            }

            writer.Write(' ');
            _times[step].ToUnixTimeSeconds().TryFormat(number, out var tn, default, CultureInfo.InvariantCulture);
            writer.Write(number[..tn]);
            writer.Write('\n');
        }
    }

    private Range Steps(DateTimeOffset? from, DateTimeOffset? to)
    {
        var first = from is { } f ? Array.FindIndex(_times, t => t > f) : 0;
        var last = to is { } t2 ? Array.FindLastIndex(_times, t => t <= t2) : _times.Length - 1;
        if (first < 0 || last < first)
        {
            return 0..0;
        }

        return first..(last + 1);
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
