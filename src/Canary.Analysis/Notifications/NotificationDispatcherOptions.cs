namespace Canary.Analysis.Notifications;

/// <summary>How a <see cref="NotificationDispatcher"/> queues, retries and remembers notifications.</summary>
public sealed class NotificationDispatcherOptions
{
    /// <summary>Gets how many notifications wait per sink; when full, the oldest is dropped (and counted in <see cref="NotificationDispatcher.Dropped"/>).</summary>
    /// <value>The default value is 100.</value>
    public int QueueCapacity { get; init; } = 100;

    /// <summary>Gets how many times a notification is tried per sink before it is given up (1 = no retry).</summary>
    /// <value>The default value is 5.</value>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Gets the wait before the first retry; each further retry waits twice as long, up to <see cref="MaxBackoff"/>.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the longest wait between attempts (also the most a receiver's <c>Retry-After</c> is honoured).</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets how long one attempt may take, whatever the sink's own timeout.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets how many notification ids are remembered to refuse a notification published again.</summary>
    /// <value>The default value is 1024.</value>
    public int DeduplicationCapacity { get; init; } = 1024;

    /// <summary>Gets how long disposing waits for queued notifications to be sent before abandoning them.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets the clock of backoffs and timeouts.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1, nameof(QueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(DeduplicationCapacity, 1, nameof(DeduplicationCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialBackoff, TimeSpan.Zero, nameof(InitialBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackoff, InitialBackoff, nameof(MaxBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AttemptTimeout, TimeSpan.Zero, nameof(AttemptTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(DrainTimeout, TimeSpan.Zero, nameof(DrainTimeout));
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
