using Canary.Analysis.Metrics.Prometheus.Internal;
using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Metrics.Prometheus;

/// <summary>How to reach a Prometheus-compatible HTTP API (Prometheus, Thanos, Mimir, Cortex, VictoriaMetrics).</summary>
/// <remarks>
/// The provider copies the options when it is created; later changes to this instance do not affect it.
/// Use <see cref="Validate"/> or <see cref="PrometheusOptionsValidator"/> to check the options up front.
/// </remarks>
public sealed class PrometheusOptions
{
    /// <summary>The default per-request timeout: 30 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default response size limit: 64 MiB.</summary>
    public const long DefaultMaxResponseBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Gets or sets the base URL of the Prometheus HTTP API, without <c>api/v1</c>. It may include a path prefix,
    /// for example <c>https://mimir.example.com/prometheus/</c> for Mimir or Thanos query frontends. It must not carry
    /// credentials (<c>user:password@</c>, use <see cref="Username"/>/<see cref="Password"/> or <see cref="BearerToken"/>)
    /// or a query string.
    /// </summary>
    /// <value>The default value is <see langword="null"/>; required unless an injected <see cref="HttpClient"/> has a <see cref="HttpClient.BaseAddress"/>.</value>
    public Uri? Address { get; set; }

    /// <summary>Gets or sets a bearer token sent as <c>Authorization: Bearer …</c> on every request.</summary>
    /// <value>The default value is <see langword="null"/> (no bearer token).</value>
    public string? BearerToken { get; set; }

    /// <summary>Gets or sets the user name for HTTP basic authentication.</summary>
    /// <value>The default value is <see langword="null"/> (no basic authentication).</value>
    public string? Username { get; set; }

    /// <summary>Gets or sets the password for HTTP basic authentication; requires <see cref="Username"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Password { get; set; }

    /// <summary>Gets extra headers sent on every request (for example a proxy's API key).</summary>
    /// <value>The default value is an empty dictionary.</value>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the tenant sent as the <c>X-Scope-OrgID</c> header (Mimir, Cortex, Loki-style multi-tenancy).</summary>
    /// <value>The default value is <see langword="null"/> (no tenant header).</value>
    public string? TenantId { get; set; }

    /// <summary>Gets or sets the timeout of one request, including reading its body.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>Gets or sets the largest response body the provider reads; larger responses fail with <see cref="MetricQueryErrorKind.ResponseTooLarge"/>.</summary>
    /// <value>The default value is 64 MiB (67 108 864 bytes).</value>
    public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>
    /// Gets or sets the most connections the provider opens to the server at once (when it creates its own handler, and in
    /// dependency injection); further concurrent queries wait for a free connection, within their <see cref="Timeout"/>.
    /// An injected <see cref="HttpClient"/> keeps its own limit.
    /// </summary>
    /// <value>The default value is 16; between 1 and 1024.</value>
    public int MaxConnectionsPerServer { get; set; } = HttpHandlers.DefaultMaxConnectionsPerServer;

    /// <summary>
    /// Gets or sets a value indicating whether queries are sent as form-encoded POST requests (which allows long queries).
    /// When the server answers 405 or 501, the provider falls back to GET and keeps using GET.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UsePost { get; set; } = true;

    /// <summary>Checks the options and throws when they cannot work.</summary>
    /// <exception cref="ArgumentException">
    /// The options are invalid; the message names each bad field and its value (secrets are never printed).
    /// </exception>
    public void Validate()
    {
        var failures = PrometheusOptionsRules.Validate(this, fallbackAddress: null);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), "options");
        }
    }
}
