namespace Canary.Analysis.Demo;

/// <summary>
/// Users of the demo shop: a bounded, deterministic load generator that sends one simulated minute of traffic at a
/// time and splits it between baseline and canary by the canary's share, as a weighted route (or a Service spreading
/// requests over pods) would.
/// </summary>
/// <remarks>
/// <para>Bounded: a fixed number of requests per simulated minute (<see cref="Mix"/>), at most
/// <see cref="Concurrency"/> in flight, so the demo finishes quickly on a shared 2-core machine and never floods it.</para>
/// <para>Deterministic: every endpoint's requests are split exactly (request i of an endpoint goes to the canary when
/// ⌊(i+1)·share⌋ &gt; ⌊i·share⌋, counted across minutes), so a 5 % step sends the canary exactly 5 % of
/// <c>/api/pay</c> — never fewer because of an unlucky draw, which would leave the rare endpoint short of data at the
/// end of the fail-fast step. The seeded <see cref="Random"/> only shuffles the order of the minute's requests. With
/// the services' faults counted rather than drawn, every run (whatever the seed) gives the same counts, hence the same
/// decisions.</para>
/// </remarks>
internal sealed class LoadGenerator : IDisposable
{
    /// <summary>
    /// Requests per simulated minute and endpoint: busy search and product pages, a rare payment endpoint (8 % of the
    /// requests). Every count is a multiple of 20, so 5 % and 10 % of each are whole requests every minute; /api/pay is
    /// busy enough that a 5 % canary gets the 50 requests a check needs after 10 of the fail-fast step's 13 minutes.
    /// </summary>
    public static readonly IReadOnlyList<(string Path, int PerMinute)> Mix =
    [
        ("/api/search", 600),
        ("/api/products", 300),
        ("/api/cart", 140),
        ("/api/checkout", 100),
        ("/api/pay", 100),
        ("/health", 20),
    ];

    public const int Concurrency = 8;

    private readonly HttpClient _client;
    private readonly Uri _baseline;
    private readonly Uri _canary;
    private readonly Random _random;
    private readonly Dictionary<string, long> _sent = new(StringComparer.Ordinal);

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

    /// <summary>Plans one simulated minute: every request's path and version, in the (seeded, shuffled) order sent.</summary>
    /// <param name="share">The canary's share of every endpoint's requests.</param>
    /// <returns>The minute's requests.</returns>
    public IReadOnlyList<(string Path, bool ToCanary)> PlanMinute(CanaryShare share)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(share.Total);
        ArgumentOutOfRangeException.ThrowIfNegative(share.Canary);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(share.Canary, share.Total);

        var requests = new List<(string Path, bool ToCanary)>(RequestsPerMinute);
        foreach (var (path, perMinute) in Mix)
        {
            var sent = _sent.GetValueOrDefault(path);
            for (var i = 0; i < perMinute; i++, sent++)
            {
                requests.Add((path, (sent + 1) * share.Canary / share.Total > sent * share.Canary / share.Total));
            }

            _sent[path] = sent;
        }

        var shuffled = requests.ToArray();
        _random.Shuffle(shuffled);
        return shuffled;
    }

    /// <summary>Sends one simulated minute of traffic, <paramref name="share"/> of every endpoint's requests to the canary.</summary>
    /// <returns>How many requests went to each version.</returns>
    public async Task<MinuteOfTraffic> DriveMinuteAsync(CanaryShare share, CancellationToken cancellationToken = default)
    {
        var requests = PlanMinute(share);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(requests, options, async (request, token) =>
        {
            // Status codes are the services' business: 500s are what the analysis must find, not a load-generator error.
            using var response = await _client.GetAsync(new Uri(request.ToCanary ? _canary : _baseline, request.Path.TrimStart('/')), token);
        });

        var canary = requests.Count(r => r.ToCanary);
        return new MinuteOfTraffic(requests.Count - canary, canary);
    }

    public void Dispose() => _client.Dispose();
}
