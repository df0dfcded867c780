namespace Canary.Analysis.Demo;

/// <summary>
/// Users of the demo shop: a bounded, deterministic load generator that sends one simulated minute of traffic at a
/// time and splits it between baseline and canary by the rollout's current weight, as a weighted route would.
/// </summary>
/// <remarks>
/// <para>Bounded: a fixed number of requests per simulated minute (<see cref="Mix"/>), at most
/// <see cref="Concurrency"/> in flight, so the demo finishes quickly on a shared 2-core machine and never floods it.</para>
/// <para>Deterministic: the minute's requests are shuffled with a seeded <see cref="Random"/>, and the canary gets exactly
/// its share (request i goes to the canary when ⌊(i+1)·w⌋ &gt; ⌊i·w⌋, counted across minutes), so a 5 % step sends
/// 5 % of requests to the canary — not "about 5 %", and never more because of an unlucky draw.</para>
/// </remarks>
internal sealed class LoadGenerator : IDisposable
{
    /// <summary>Requests per simulated minute and endpoint: busy search and product pages, a rare payment endpoint.</summary>
    public static readonly IReadOnlyList<(string Path, int PerMinute)> Mix =
    [
        ("/api/search", 230),
        ("/api/products", 120),
        ("/api/cart", 60),
        ("/api/checkout", 40),
        ("/api/pay", 30),
        ("/health", 20),
    ];

    public const int Concurrency = 8;

    private readonly HttpClient _client;
    private readonly Uri _baseline;
    private readonly Uri _canary;
    private readonly Random _random;
    private long _sent;

    public LoadGenerator(Uri baseline, Uri canary, int seed)
    {
        (_baseline, _canary) = (baseline, canary);
        _random = new Random(seed);
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, UseCookies = false })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    public static int RequestsPerMinute => Mix.Sum(m => m.PerMinute);

    /// <summary>Sends one simulated minute of traffic, <paramref name="canaryPercent"/> % of it to the canary.</summary>
    /// <returns>How many requests went to each version.</returns>
    public async Task<MinuteOfTraffic> DriveMinuteAsync(int canaryPercent, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(canaryPercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(canaryPercent, 100);

        var paths = Mix.SelectMany(m => Enumerable.Repeat(m.Path, m.PerMinute)).ToArray();
        _random.Shuffle(paths);
        var requests = new (Uri Target, bool ToCanary)[paths.Length];
        for (var i = 0; i < paths.Length; i++, _sent++)
        {
            var toCanary = (_sent + 1) * canaryPercent / 100 > _sent * canaryPercent / 100;
            requests[i] = (new Uri(toCanary ? _canary : _baseline, paths[i].TrimStart('/')), toCanary);
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(requests, options, async (request, token) =>
        {
            // Status codes are the services' business: 500s are what the analysis must find, not a load-generator error.
            using var response = await _client.GetAsync(request.Target, token);
        });

        var canary = requests.Count(r => r.ToCanary);
        return new MinuteOfTraffic(paths.Length - canary, canary);
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>One simulated minute's requests per version.</summary>
internal readonly record struct MinuteOfTraffic(int Baseline, int Canary);
