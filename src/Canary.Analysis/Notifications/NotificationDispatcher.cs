using System.Threading.Channels;
using Canary.Analysis.Metrics.Internal;
using Canary.Analysis.Policies;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Analysis.Notifications;

/// <summary>
/// Sends notifications to sinks in the background: <see cref="Publish(RolloutNotification)"/> returns at once, each sink has
/// its own bounded queue (the oldest dropped and counted when full) and worker, attempts are retried with exponential backoff
/// up to <see cref="NotificationDispatcherOptions.MaxAttempts"/> under a timeout, and a notification published again (same
/// <see cref="RolloutNotification.Id"/>) is not sent twice. A slow, failing or silent receiver never delays the caller, never
/// throws into it and never changes a decision; it only delays its own queue.
/// </summary>
public sealed partial class NotificationDispatcher : IAsyncDisposable
{
    private readonly Lane[] _lanes;
    private readonly NotificationDispatcherOptions _options;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _idle = Completed();
    private int _pending;
    private long _delivered;
    private long _failed;
    private long _dropped;
    private long _duplicates;
    private int _disposed;

    /// <summary>Creates a dispatcher and starts one background worker per sink.</summary>
    /// <param name="sinks">Where to send.</param>
    /// <param name="options">Queue, retry and deduplication settings, or null for the defaults.</param>
    /// <param name="logger">Where deliveries, retries, drops and failures are logged (never a receiver's address), or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sinks"/> or one of them is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public NotificationDispatcher(IEnumerable<INotificationSink> sinks, NotificationDispatcherOptions? options = null, ILogger<NotificationDispatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _options = options ?? new NotificationDispatcherOptions();
        _options.Validate();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _lanes = [.. sinks.Select(sink => new Lane(sink ?? throw new ArgumentNullException(nameof(sinks), "A sink is null."), this))];
        foreach (var lane in _lanes)
        {
            lane.Worker = Task.Run(() => RunAsync(lane));
        }
    }

    /// <summary>Gets how many deliveries (notification × sink) succeeded.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Gets how many deliveries were given up: refused, or still failing after the last attempt.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Gets how many deliveries were dropped unsent because a sink's queue was full (or the dispatcher was disposed).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Gets how many published notifications were refused as already published.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Queues a notification for every sink and returns at once.</summary>
    /// <param name="notification">The notification.</param>
    /// <returns>True when queued; false when the same notification was already published, or the dispatcher is disposed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="notification"/> is null.</exception>
    public bool Publish(RolloutNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        lock (_gate)
        {
            if (_disposed != 0)
            {
                return false;
            }

            if (!_seen.Add(notification.Id))
            {
                Interlocked.Increment(ref _duplicates);
                LogDuplicate(_logger, notification.Id, notification.Rollout);
                return false;
            }

            _seenOrder.Enqueue(notification.Id);
            if (_seenOrder.Count > _options.DeduplicationCapacity)
            {
                _seen.Remove(_seenOrder.Dequeue());
            }

            foreach (var lane in _lanes)
            {
                Started();
                if (!lane.Queue.Writer.TryWrite(notification))
                {
                    Finished();
                }
            }
        }

        return true;
    }

    /// <summary>Builds the notification of a decision (<see cref="RolloutNotification.FromDecision"/>) and publishes it, if it is worth one.</summary>
    /// <param name="decision">The decision.</param>
    /// <param name="context">The rollout's name, namespace and dashboard link template.</param>
    /// <returns>True when a notification was queued.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public bool Publish(RolloutDecision decision, NotificationContext context) =>
        RolloutNotification.FromDecision(decision, context) is { } notification && Publish(notification);

    /// <summary>Waits until every queued notification was delivered, given up or dropped.</summary>
    /// <param name="cancellationToken">Stops waiting (the notifications stay queued).</param>
    /// <returns>A task that completes when the queues are empty and no attempt is running.</returns>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        Task idle;
        lock (_gate)
        {
            idle = _idle.Task;
        }

        return idle.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Stops accepting notifications, waits up to <see cref="NotificationDispatcherOptions.DrainTimeout"/> for the queued ones,
    /// then abandons the rest (counted in <see cref="Dropped"/>). Sinks are not disposed.
    /// </summary>
    /// <returns>A task that completes when the workers stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed != 0)
            {
                return;
            }

            _disposed = 1;
        }

        foreach (var lane in _lanes)
        {
            lane.Queue.Writer.TryComplete();
        }

        var workers = Task.WhenAll(_lanes.Select(lane => lane.Worker));
        try
        {
            await workers.WaitAsync(_options.DrainTimeout, _options.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Abandon what is left below.
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await workers.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private static TaskCompletionSource Completed()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    private void Started()
    {
        lock (_gate)
        {
            if (_pending++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private void Finished()
    {
        lock (_gate)
        {
            if (--_pending == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    private void OnDropped(Lane lane, RolloutNotification notification)
    {
        Interlocked.Increment(ref _dropped);
        LogDropped(_logger, notification.Id, notification.Rollout, lane.Sink.Name, _options.QueueCapacity);
        Finished();
    }

    private async Task RunAsync(Lane lane)
    {
        var reader = lane.Queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var notification))
                {
                    try
                    {
                        await DeliverAsync(lane.Sink, notification).ConfigureAwait(false);
                    }
                    catch (Exception) when (_stop.IsCancellationRequested)
                    {
                        // Disposed while sending or waiting to retry: abandoned.
                        Interlocked.Increment(ref _dropped);
                        LogDropped(_logger, notification.Id, notification.Rollout, lane.Sink.Name, _options.QueueCapacity);
                    }
                    finally
                    {
                        Finished();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed: abandon what is left.
        }

        while (reader.TryRead(out var left))
        {
            OnDropped(lane, left);
        }
    }

    private async Task DeliverAsync(INotificationSink sink, RolloutNotification notification)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = new CancellationTokenSource(_options.AttemptTimeout, _options.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, timeout.Token);
            try
            {
                await sink.SendAsync(notification, linked.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _delivered);
                LogDelivered(_logger, notification.Id, notification.Rollout, sink.Name, attempt);
                return;
            }
            catch (Exception ex) when (!_stop.IsCancellationRequested)
            {
                var problem = Describe(ex, timeout.IsCancellationRequested);
                var delivery = ex as NotificationDeliveryException;
                if (delivery is { IsTransient: false } || attempt >= _options.MaxAttempts)
                {
                    Interlocked.Increment(ref _failed);
                    LogGaveUp(_logger, notification.Id, notification.Rollout, sink.Name, attempt, problem);
                    return;
                }

                var wait = Backoff(attempt, delivery?.RetryAfter);
                LogRetrying(_logger, notification.Id, notification.Rollout, sink.Name, attempt, wait, problem);
                await Task.Delay(wait, _options.TimeProvider, _stop.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Exponential backoff from <see cref="NotificationDispatcherOptions.InitialBackoff"/>, a receiver's Retry-After when longer, both capped.</summary>
    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var exponential = _options.InitialBackoff * Math.Pow(2, Math.Min(attempt - 1, 30));
        var wait = retryAfter is { } asked && asked > exponential ? asked : exponential;
        return wait < _options.MaxBackoff ? wait : _options.MaxBackoff;
    }

    /// <summary>What went wrong, fit for a log: a delivery exception's own (redacted) message, else the type and a redacted message.</summary>
    private string Describe(Exception ex, bool timedOut) => ex switch
    {
        NotificationDeliveryException delivery => delivery.Message,
        OperationCanceledException when timedOut => $"no answer within {_options.AttemptTimeout}",
        _ => $"{ex.GetType().Name}: {Redaction.Text(ex.Message, [])}",
    };

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Notification {NotificationId} of {Rollout} delivered to {Sink} (attempt {Attempt}).")]
    private static partial void LogDelivered(ILogger logger, string notificationId, string rollout, string sink, int attempt);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Notification {NotificationId} of {Rollout} to {Sink} failed (attempt {Attempt}); retrying in {Wait}: {Problem}")]
    private static partial void LogRetrying(ILogger logger, string notificationId, string rollout, string sink, int attempt, TimeSpan wait, string problem);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "Notification {NotificationId} of {Rollout} to {Sink} given up after {Attempt} attempt(s): {Problem}")]
    private static partial void LogGaveUp(ILogger logger, string notificationId, string rollout, string sink, int attempt, string problem);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Notification {NotificationId} of {Rollout} to {Sink} dropped: the queue of {Capacity} was full or the dispatcher stopped.")]
    private static partial void LogDropped(ILogger logger, string notificationId, string rollout, string sink, int capacity);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Debug, Message = "Notification {NotificationId} of {Rollout} was already published; not sent again.")]
    private static partial void LogDuplicate(ILogger logger, string notificationId, string rollout);

    /// <summary>One sink's queue and worker.</summary>
    private sealed class Lane
    {
        public Lane(INotificationSink sink, NotificationDispatcher owner)
        {
            Sink = sink;
            Queue = Channel.CreateBounded<RolloutNotification>(
                new BoundedChannelOptions(owner._options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
                dropped => owner.OnDropped(this, dropped));
        }

        public INotificationSink Sink { get; }

        public Channel<RolloutNotification> Queue { get; }

        public Task Worker { get; set; } = Task.CompletedTask;
    }
}
