using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Metrics.Scrape;

/// <summary>How <see cref="ScrapeTrafficSource"/> scrapes its targets and how much history it keeps.</summary>
public sealed class ScrapeOptions
{
    /// <summary>
    /// Gets or sets the timeout of one scrape of one target, including reading and parsing the body (the parse checks it
    /// periodically, so a hostile body cannot hold a scrape past it).
    /// </summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the largest body read (and parsed) from a target; a larger one fails that scrape.</summary>
    /// <value>The default value is 32 MiB (33 554 432 bytes).</value>
    public long MaxResponseBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Gets or sets a bearer token sent as <c>Authorization: Bearer …</c> to every target.</summary>
    /// <value>The default value is <see langword="null"/> (no token).</value>
    public string? BearerToken { get; set; }

    /// <summary>Gets extra headers sent to every target.</summary>
    /// <value>The default value is an empty dictionary.</value>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets a value indicating whether OpenMetrics is asked for first (<c>Accept</c>); the body is parsed by its <c>Content-Type</c> either way.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool PreferOpenMetrics { get; set; } = true;

    /// <summary>
    /// Gets or sets the most connections the source opens to one target at once when it owns its handler; an injected
    /// <see cref="HttpClient"/> keeps its own limit.
    /// </summary>
    /// <value>The default value is 16; between 1 and 1024.</value>
    public int MaxConnectionsPerServer { get; set; } = HttpHandlers.DefaultMaxConnectionsPerServer;

    /// <summary>Gets or sets how long scrapes are kept; windows reaching further back have no data there.</summary>
    /// <value>The default value is 2 hours.</value>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Gets or sets an HTTP client to scrape with (for example from <c>IHttpClientFactory</c>); it is not disposed by the source.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the source owns a pooled client.</value>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A value is out of range or a header cannot be sent; the message names it (never a secret).</exception>
    public void Validate()
    {
        var failures = new List<string>();
        HeaderRules.CheckSecret(failures, "ScrapeOptions.BearerToken", BearerToken);
        if (BearerToken is { Length: 0 })
        {
            failures.Add("ScrapeOptions.BearerToken must not be empty when set; it was ''.");
        }

        HeaderRules.Check(failures, "ScrapeOptions.Headers", Headers);
        HttpHandlers.CheckMaxConnections(failures, "ScrapeOptions.MaxConnectionsPerServer", MaxConnectionsPerServer);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), "options");
        }

        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"ScrapeOptions.Timeout must be positive; it was {Timeout}.", nameof(Timeout));
        }

        if (MaxResponseBytes <= 0)
        {
            throw new ArgumentException($"ScrapeOptions.MaxResponseBytes must be positive; it was {MaxResponseBytes}.", nameof(MaxResponseBytes));
        }

        if (Retention <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ScrapeOptions.Retention must be positive; it was {Retention}.", nameof(Retention));
        }
    }
}
