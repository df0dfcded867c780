using Canary.Analysis.Metrics.Internal;
using Canary.Analysis.Traffic.Internal;

namespace Canary.Analysis.Metrics.Scrape;

/// <summary>A <c>/metrics</c> endpoint to scrape, with labels attached to every series read from it (like Prometheus' target labels).</summary>
public sealed class ScrapeTarget
{
    /// <summary>Creates a target.</summary>
    /// <param name="address">The absolute http(s) address of the metrics endpoint, e.g. <c>http://10.0.0.7:8080/metrics</c>.</param>
    /// <param name="labels">
    /// Labels added to every series of this target (for example <c>version=canary</c>), which the query's selector can
    /// match. They replace exposed labels of the same name. An <c>instance</c> label (host:port) is added unless given here.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The address is not an absolute http or https URI, carries credentials (<c>user:password@</c>, which would not be
    /// sent: use <see cref="ScrapeOptions.BearerToken"/> or <see cref="ScrapeOptions.Headers"/>), or a label name is invalid.
    /// Messages show the address without its credentials and query string.
    /// </exception>
    /// <remarks>A query string is allowed (and sent), but it is never shown: <see cref="ToString"/>, warnings and failures print <c>?***</c>.</remarks>
    public ScrapeTarget(Uri address, IReadOnlyDictionary<string, string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            var shown = address.IsAbsoluteUri ? Redaction.Address(address) : Redaction.Text(address.OriginalString, []);
            throw new ArgumentException($"Scrape target '{shown}' must be an absolute http or https URI.", nameof(address));
        }

        if (!string.IsNullOrEmpty(address.UserInfo))
        {
            throw new ArgumentException($"Scrape target '{Redaction.Address(address)}' must not carry credentials in its address (they would not be sent); use ScrapeOptions.BearerToken or ScrapeOptions.Headers.", nameof(address));
        }

        DisplayName = Redaction.Address(address);

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in labels ?? new Dictionary<string, string>())
        {
            if (!PromQl.IsValidLabelName(name))
            {
                throw new ArgumentException($"Label name '{name}' of scrape target '{DisplayName}' is not valid: it must match [a-zA-Z_][a-zA-Z0-9_]*.", nameof(labels));
            }

            map[name] = value ?? string.Empty;
        }

        map.TryAdd("instance", address.Authority);
        Address = address;
        Labels = map.AsReadOnly();
    }

    /// <summary>Gets the address of the metrics endpoint.</summary>
    public Uri Address { get; }

    /// <summary>Gets the labels added to every series of this target, <c>instance</c> included.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>Gets the address as shown in messages and warnings: without its query string (which may carry a token).</summary>
    internal string DisplayName { get; }

    /// <inheritdoc />
    /// <returns>The address without its query string (<c>?***</c>), safe to log.</returns>
    public override string ToString() => DisplayName;
}
