using Canary.Analysis.Metrics.Datadog.Internal;
using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Metrics.Datadog;

/// <summary>How to reach the Datadog metrics query API, and how <see cref="DatadogMetricProvider.QueryAsync"/> reads an instant.</summary>
/// <remarks>
/// The provider copies the options when it is created. Keys are sent only in the <c>DD-API-KEY</c> and
/// <c>DD-APPLICATION-KEY</c> headers and never appear in messages or exceptions.
/// </remarks>
public sealed class DatadogOptions
{
    /// <summary>The default site: <c>datadoghq.com</c> (US1, <c>https://api.datadoghq.com</c>).</summary>
    public const string DefaultSite = "datadoghq.com";

    /// <summary>The default per-request timeout: 30 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default window of an instant query: 5 minutes.</summary>
    public static readonly TimeSpan DefaultInstantWindow = TimeSpan.FromMinutes(5);

    /// <summary>The default longest rate-limit reset the provider waits for before its one retry: 10 seconds.</summary>
    public static readonly TimeSpan DefaultMaxRateLimitWait = TimeSpan.FromSeconds(10);

    /// <summary>The default response size limit: 16 MiB.</summary>
    public const long DefaultMaxResponseBytes = 16L * 1024 * 1024;

    /// <summary>
    /// Gets or sets the Datadog site: <c>datadoghq.com</c> (US1), <c>us3.datadoghq.com</c>, <c>us5.datadoghq.com</c>,
    /// <c>datadoghq.eu</c> (EU1), <c>ap1.datadoghq.com</c>, <c>ap2.datadoghq.com</c> or <c>ddog-gov.com</c>. The API is at
    /// <c>https://api.&lt;site&gt;</c>.
    /// </summary>
    /// <value>The default value is <see cref="DefaultSite"/>.</value>
    public string Site { get; set; } = DefaultSite;

    /// <summary>Gets or sets an explicit API base URL (a proxy), which overrides <see cref="Site"/>.</summary>
    /// <value>The default value is null: <c>https://api.&lt;Site&gt;/</c>.</value>
    public Uri? Address { get; set; }

    /// <summary>Gets or sets the API key, sent as the <c>DD-API-KEY</c> header. Required.</summary>
    /// <value>The default value is null.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the application key, sent as the <c>DD-APPLICATION-KEY</c> header. Required for queries.</summary>
    /// <value>The default value is null.</value>
    public string? ApplicationKey { get; set; }

    /// <summary>Gets or sets the timeout of one request, including reading its body (a rate-limit wait is not included).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>Gets or sets the largest response body the provider reads.</summary>
    /// <value>The default value is 16 MiB.</value>
    public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>
    /// Gets or sets the range an instant query (<see cref="DatadogMetricProvider.QueryAsync"/>) reduces: the v2 scalar query
    /// covers [time − InstantWindow, time].
    /// </summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan InstantWindow { get; set; } = DefaultInstantWindow;

    /// <summary>Gets or sets how an instant query reduces the range to one number per group.</summary>
    /// <value>The default value is <see cref="DatadogAggregator.Avg"/> (Datadog's default); use <see cref="DatadogAggregator.Sum"/> for counts.</value>
    public DatadogAggregator InstantAggregator { get; set; } = DatadogAggregator.Avg;

    /// <summary>
    /// Gets or sets the longest <c>X-RateLimit-Reset</c> the provider waits for, once, before retrying a request answered
    /// with 429. A longer reset (or a second 429) fails with <see cref="MetricQueryErrorKind.RateLimited"/> and
    /// <see cref="MetricQueryException.RetryAfter"/>. <see cref="TimeSpan.Zero"/> never waits.
    /// </summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan MaxRateLimitWait { get; set; } = DefaultMaxRateLimitWait;

    /// <summary>
    /// Gets or sets the most connections the provider opens to Datadog at once (when it creates its own handler, and in
    /// dependency injection); further concurrent queries wait for a free connection, within their <see cref="Timeout"/>.
    /// </summary>
    /// <value>The default value is 16; between 1 and 1024.</value>
    public int MaxConnectionsPerServer { get; set; } = HttpHandlers.DefaultMaxConnectionsPerServer;

    /// <summary>Checks the options and throws when they cannot work.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names each bad field and its value (keys are never printed).</exception>
    public void Validate()
    {
        var failures = DatadogOptionsRules.Validate(this);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), "options");
        }
    }
}
