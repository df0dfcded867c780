namespace Canary.Analysis.Simulation;

/// <summary>One endpoint of a simulated service: its peak request rate, error rate and latency distribution.</summary>
/// <remarks>Latency is log-normal: <c>ln(latency) ~ Normal(ln(median), spread²)</c>.</remarks>
public sealed class SimulatedEndpoint
{
    /// <summary>Gets or sets the endpoint name, as the endpoint label spells it (e.g. <c>/api/pay</c>).</summary>
    public required string Name { get; set; }

    /// <summary>Gets or sets the requests per second at the profile's peak, both versions together.</summary>
    public required double RequestsPerSecond { get; set; }

    /// <summary>Gets or sets the share of requests that fail (5xx) for both versions, unless a fault changes the canary's.</summary>
    /// <value>The default value is 0.005 (0.5 %).</value>
    public double ErrorRate { get; set; } = 0.005;

    /// <summary>Gets or sets the median latency in seconds.</summary>
    /// <value>The default value is 0.05 (50 ms).</value>
    public double LatencyMedianSeconds { get; set; } = 0.05;

    /// <summary>Gets or sets the standard deviation of the latency's logarithm (0.5 puts p95 at about 2.3 × the median).</summary>
    /// <value>The default value is 0.5.</value>
    public double LatencySpread { get; set; } = 0.5;

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {RequestsPerSecond} req/s, {ErrorRate:P2} errors, median {LatencyMedianSeconds * 1000} ms";
}
