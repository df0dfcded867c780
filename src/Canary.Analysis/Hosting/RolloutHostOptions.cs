namespace Canary.Analysis.Hosting;

/// <summary>Settings of a <see cref="RolloutHost"/>; validated when the host starts.</summary>
public sealed class RolloutHostOptions
{
    /// <summary>Gets or sets this host instance's id: the owner named in its rollouts' leases (unique among hosts sharing a store).</summary>
    /// <value>The default value is the machine's name, the process id and a random suffix.</value>
    public string InstanceId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// Gets or sets the directory of the <see cref="DirectoryRolloutStateStore"/> the host keeps states in, when no other
    /// <see cref="IRolloutStateStore"/> is registered.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>
    /// Gets or sets how often the host looks for rollouts in the store and re-reads the rollouts that wait (paused, ended,
    /// refused, owned by another host) for a change made elsewhere.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long a rollout's lease lasts when the store keeps leases (<see cref="IRolloutLeaseStore"/>); the host
    /// renews it every third of it, and cancels a tick that would outlast it.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the most decisions one tick of a rollout makes while they are <c>Advance</c> (a settled chain is shorter).</summary>
    /// <value>The default value is 64.</value>
    public int MaxAdvancesPerTick { get; set; } = 64;

    /// <summary>Gets or sets the most rollouts ticked at once.</summary>
    /// <value>The default value is 4.</value>
    public int MaxConcurrentTicks { get; set; } = 4;

    /// <summary>
    /// Gets or sets the first delay after a failure: a provider error in a measurement (then the measurement is retried no
    /// sooner than its own retry interval) or a failed tick or store access; each further failure in a row doubles it, up to
    /// <see cref="RetryMaximumDelay"/>.
    /// </summary>
    /// <value>The default value is 10 seconds (an analysis metric's own error retry interval).</value>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the longest delay between retries after failures.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan RetryMaximumDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the namespace label of rollouts registered without one (status metrics, notifications).</summary>
    /// <value>The default value is <c>default</c>.</value>
    public string Namespace { get; set; } = "default";

    /// <summary>Gets the delay before the retry after <paramref name="failures"/> failures in a row: <see cref="RetryInitialDelay"/> doubled per further failure, capped.</summary>
    /// <param name="failures">The failures in a row (1 for the first).</param>
    /// <returns>The delay.</returns>
    public TimeSpan RetryDelay(int failures)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var delay = RetryInitialDelay.Ticks * Math.Pow(2, doublings);
        return delay >= RetryMaximumDelay.Ticks ? RetryMaximumDelay : TimeSpan.FromTicks((long)delay);
    }
}
