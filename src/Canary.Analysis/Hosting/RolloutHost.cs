using System.Collections.Concurrent;
using Canary.Analysis.Analysis;
using Canary.Analysis.Configuration;
using Canary.Analysis.Hosting.Internal;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Notifications;
using Canary.Analysis.Observability;
using Canary.Analysis.Policies;
using Canary.Analysis.Traffic;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.Hosting;

/// <summary>
/// Runs many rollouts on the generic host: starts the registered ones (<see cref="RolloutRegistry"/>), resumes every rollout
/// found in the store, ticks each when its decision says the next measurement is due, and saves its state after every decision.
/// </summary>
/// <remarks>
/// <para><b>A tick.</b> The host reads the rollout's saved state (rebuilding the rollout when it changed elsewhere, e.g. a
/// human's command), decides, and saves the new state naming the version it read; while the decision is
/// <see cref="RolloutAction.Advance"/> it decides again at once (at most <see cref="RolloutHostOptions.MaxAdvancesPerTick"/>
/// times), saving each decision. A save that finds another version (<see cref="RolloutStateConflictException"/>) overwrites
/// nothing: the rollout is read again and decided on what is saved.</para>
/// <para><b>Failures.</b> A measurement's provider error is retried no sooner than the analysis metric's retry interval and,
/// after <c>n</c> errors in a row, no sooner than <see cref="RolloutHostOptions.RetryDelay"/>(<c>n</c>) (capped exponential
/// backoff; the errors still count towards the metric's <c>consecutiveErrorLimit</c>). A tick or store access that throws
/// is retried the same way from the saved state, which is never lost. Both raise the rollout's events and logs.</para>
/// <para><b>Refusal.</b> A saved state that does not fit its policy (<see cref="CanaryRollout.Resume"/>), names an unknown
/// policy or cannot be read is never obeyed: the rollout is reported <see cref="HostedRolloutHealth.Refused"/> with the reason
/// (and the health check is unhealthy) until the saved state changes.</para>
/// <para><b>Sharding.</b> When the store keeps leases (<see cref="IRolloutLeaseStore"/>, as <see cref="DirectoryRolloutStateStore"/>
/// does), several hosts share it: a host ticks a rollout only while it holds its lease, renews it every third of
/// <see cref="RolloutHostOptions.LeaseDuration"/>, cancels a tick that would outlast it, and releases its leases when it
/// stops; another host takes a rollout over once its lease has expired.</para>
/// <para><b>Shutdown.</b> Stopping cancels the tick in flight: its decision is not saved, so the store keeps the last whole
/// decision (a save, once begun, completes; the store's writes are atomic). Then the leases are released.</para>
/// <para><b>Sources.</b> A rollout's checks read from its registration's source; otherwise from a Prometheus provider the
/// host builds for the policy document's <c>source.prometheus</c> (one per policy, disposed with the host); otherwise from the
/// <see cref="ITrafficSource"/> given to the constructor (the default registration's, in dependency injection).</para>
/// <para><b>Visibility.</b> Every rollout's events are logged (<see cref="RolloutLogger"/>, category
/// <c>Canary.Analysis.Rollouts</c>), followed by <see cref="RolloutStatusMetrics"/> and sent through a
/// <see cref="NotificationDispatcher"/> when those are given; the host's own lines have event ids 3000–3099.</para>
/// </remarks>
public sealed class RolloutHost : BackgroundService
{
    private readonly RolloutRegistry _registry;
    private readonly IRolloutStateStore _store;
    private readonly IRolloutLeaseStore? _leases;
    private readonly RolloutHostOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILogger _rolloutLogger;
    private readonly RolloutStatusMetrics? _metrics;
    private readonly NotificationDispatcher? _notifications;
    private readonly ITrafficSource? _defaultSource;
    private readonly ConcurrentDictionary<string, RolloutSlot> _slots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (PrometheusMetricProvider Provider, ITrafficSource Source)> _documentSources = new(StringComparer.Ordinal);
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _nextListAt = DateTimeOffset.MinValue;
    private int _listFailures;
    private volatile bool _running;
    private volatile Exception? _failure;

    /// <summary>Creates the host.</summary>
    /// <param name="registry">The rollouts to start, and the policies.</param>
    /// <param name="store">Where states are kept; when it also keeps leases (<see cref="IRolloutLeaseStore"/>), rollouts are sharded between hosts.</param>
    /// <param name="options">The settings (validated here).</param>
    /// <param name="timeProvider">The clock of every decision and wait; null for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the host and the rollouts log; null for none.</param>
    /// <param name="metrics">Status metrics every rollout is followed by; null for none.</param>
    /// <param name="notifications">Where every rollout's notifications are sent; null for none.</param>
    /// <param name="defaultSource">The traffic source of rollouts whose registration and policy name none; null for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/>, <paramref name="store"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; every error is listed.</exception>
    public RolloutHost(
        RolloutRegistry registry,
        IRolloutStateStore store,
        IOptions<RolloutHostOptions> options,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        RolloutStatusMetrics? metrics = null,
        NotificationDispatcher? notifications = null,
        ITrafficSource? defaultSource = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        if (RolloutHostOptionsValidator.Instance.Validate(null, _options) is { Failed: true } invalid)
        {
            throw new OptionsValidationException(string.Empty, typeof(RolloutHostOptions), invalid.Failures);
        }

        _registry = registry;
        _store = store;
        _leases = store as IRolloutLeaseStore;
        _time = timeProvider ?? TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<RolloutHost>();
        _rolloutLogger = loggerFactory.CreateLogger("Canary.Analysis.Rollouts");
        _metrics = metrics;
        _notifications = notifications;
        _defaultSource = defaultSource;
    }

    /// <summary>Gets this instance's id, the owner named in its leases (<see cref="RolloutHostOptions.InstanceId"/>).</summary>
    public string InstanceId => _options.InstanceId;

    /// <summary>Gets a value indicating whether the host's loop is running.</summary>
    public bool IsRunning => _running;

    /// <summary>Gets the unexpected error the host's loop died of, or null.</summary>
    public Exception? Failure => _failure;

    /// <summary>Gets a value indicating whether the store fails: its last listing, or a rollout's last access (retried with backoff).</summary>
    public bool StoreFailing => Volatile.Read(ref _listFailures) > 0 || _slots.Values.Any(s => s.StoreFailing);

    /// <summary>Gets the rollouts the host knows, by id in ordinal order.</summary>
    public IReadOnlyList<HostedRolloutStatus> Rollouts => [.. _slots.Values.Select(s => s.Status).OrderBy(s => s.Rollout, StringComparer.Ordinal)];

    /// <summary>Called after every decision the host saved (tests watch who decided what).</summary>
    internal Action<string, RolloutDecision>? Decided { get; set; }

    /// <inheritdoc />
    public override void Dispose()
    {
        lock (_documentSources)
        {
            foreach (var (provider, _) in _documentSources.Values)
            {
                provider.Dispose();
            }

            _documentSources.Clear();
        }

        base.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _running = true;
        _registry.Added += OnAdded;
        try
        {
            RolloutHostLog.Started(_logger, InstanceId);
            while (true)
            {
                var wake = Volatile.Read(ref _wake).Task;
                var delay = await RunPassAsync(stoppingToken).ConfigureAwait(false);
                if (delay > TimeSpan.Zero)
                {
                    await Task.WhenAny(Task.Delay(delay, _time, stoppingToken), wake).ConfigureAwait(false);
                }

                stoppingToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the tick in flight was cancelled before its save, so the store keeps the last whole decision.
        }
        catch (Exception ex)
        {
            _failure = ex;
            RolloutHostLog.Failed(_logger, ex, InstanceId);
            throw;
        }
        finally
        {
            _registry.Added -= OnAdded;
            await ReleaseAllAsync().ConfigureAwait(false);
            _running = false;
            RolloutHostLog.Stopped(_logger, InstanceId);
        }
    }

    /// <summary>Looks at every rollout that is due once (tests call it directly on a fake clock).</summary>
    /// <returns>How long to wait until the next rollout is due.</returns>
    internal async Task<TimeSpan> RunPassAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var registration in _registry.Registrations)
        {
            _slots.TryAdd(registration.Rollout, new RolloutSlot(registration.Rollout, now));
        }

        if (now >= _nextListAt)
        {
            await ListAsync(now, cancellationToken).ConfigureAwait(false);
        }

        var due = _slots.Values.Where(s => s.DueAt <= now).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentTicks, CancellationToken = cancellationToken },
            async (slot, token) => await ServeAsync(slot, token).ConfigureAwait(false)).ConfigureAwait(false);

        var next = _slots.Values.Select(s => s.DueAt).Append(_nextListAt).Min();
        var wait = next - _time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>Forgets every rollout in memory and releases this instance's leases (as stopping does; best effort).</summary>
    internal async Task ReleaseAllAsync()
    {
        foreach (var slot in _slots.Values)
        {
            slot.Drop();
            await ReleaseLeaseAsync(slot).ConfigureAwait(false);
        }
    }

    private void OnAdded(object? sender, RolloutRegistration registration) =>
        Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task ListAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var id in await _store.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                _slots.TryAdd(id, new RolloutSlot(id, now));
            }

            Volatile.Write(ref _listFailures, 0);
            _nextListAt = now + _options.PollInterval;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failures = Interlocked.Increment(ref _listFailures);
            var delay = _options.RetryDelay(failures);
            _nextListAt = now + delay;
            RolloutHostLog.ListFailed(_logger, ex, InstanceId, delay.TotalSeconds);
        }
    }

    private async Task ServeAsync(RolloutSlot slot, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        DateTimeOffset? leaseEnd = null;
        try
        {
            if (slot.WaitingOnVersion is { } waiting && await SavedVersionAsync(slot.Id, cancellationToken).ConfigureAwait(false) == waiting)
            {
                slot.Publish(slot.Status.Health, slot.Status.Reason, now + _options.PollInterval);
                return;
            }

            if (_leases is not null)
            {
                var lease = await _leases.AcquireAsync(slot.Id, InstanceId, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
                if (lease.Owner != InstanceId)
                {
                    NotOwned(slot, lease, now);
                    return;
                }

                slot.HoldsLease = true;
                leaseEnd = lease.ExpiresAt;
            }

            if (!await ReadAsync(slot, now, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (now < slot.TickAt)
            {
                // Woken to renew the lease: the rollout's next look (or its retry in backoff) is not due yet.
                slot.Publish(slot.Status.Health, slot.Status.Reason, Earliest(slot.TickAt, RenewalAfter(now)));
                return;
            }

            using var leaseTimeout = new CancellationTokenSource(leaseEnd is { } end && end > now ? end - now : Timeout.InfiniteTimeSpan, _time);
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, leaseTimeout.Token);
            var decision = await TickAsync(slot, now, tick.Token).ConfigureAwait(false);
            slot.Failures = 0;
            await ScheduleAsync(slot, decision, now).ConfigureAwait(false);
        }
        catch (RolloutStateConflictException)
        {
            slot.Drop();
            RolloutHostLog.Conflict(_logger, slot.Id);
            slot.Publish(slot.Status.Health, slot.Status.Reason, now);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            slot.Drop();
            throw;
        }
        catch (OperationCanceledException) when (leaseEnd is { } end && _time.GetUtcNow() >= end)
        {
            slot.Drop();
            slot.Publish(HostedRolloutHealth.NotOwned, "The lease expired during the tick; its decision was not saved.", now);
        }
        catch (Exception ex)
        {
            slot.Drop();
            slot.Failures++;
            slot.StoreFailing = ex is IOException or UnauthorizedAccessException;
            var delay = _options.RetryDelay(slot.Failures);
            RolloutHostLog.TickFailed(_logger, ex, slot.Id, slot.Failures, delay.TotalSeconds);
            slot.Publish(HostedRolloutHealth.Backoff, $"{ex.GetType().Name}: {ex.Message}", now + delay);
        }
    }

    /// <summary>The version saved now: null when none, empty when what is saved cannot be read.</summary>
    private async Task<string?> SavedVersionAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return (await _store.LoadAsync(id, cancellationToken).ConfigureAwait(false))?.Version;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return string.Empty;
        }
    }

    /// <summary>Reads the saved state and (re)builds the rollout when it is not the one in memory; false when there is nothing to tick.</summary>
    private async Task<bool> ReadAsync(RolloutSlot slot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        StoredRolloutState? stored;
        try
        {
            stored = await _store.LoadAsync(slot.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            await RefuseAsync(slot, ex.Message, string.Empty, now).ConfigureAwait(false);
            return false;
        }

        if (stored is null)
        {
            if (!_registry.TryGet(slot.Id, out var registration))
            {
                // Deleted from the store and not registered: nothing left to run.
                slot.Drop();
                await ReleaseLeaseAsync(slot).ConfigureAwait(false);
                _slots.TryRemove(slot.Id, out _);
                return false;
            }

            var document = _registry.Catalog[registration.Policy];
            CanaryRollout rollout;
            try
            {
                rollout = new CanaryRollout(document.Build(SourceFor(registration, document)), now);
            }
            catch (InvalidOperationException ex)
            {
                await RefuseAsync(slot, ex.Message, string.Empty, now).ConfigureAwait(false); // no source to measure with: never started
                return false;
            }

            var saved = await _store.SaveAsync(slot.Id, rollout.State, null, cancellationToken).ConfigureAwait(false);
            slot.Run(rollout, saved.Version, Subscribe(slot.Id, rollout, registration));
            RolloutHostLog.StartedRollout(_logger, slot.Id, document.Name);
            return true;
        }

        if (slot.Rollout is not null && slot.Version == stored.Version)
        {
            return true;
        }

        slot.Drop();
        if (Resume(slot.Id, stored, out var resumed, out var reason) is not { } observers)
        {
            await RefuseAsync(slot, reason!, stored.Version, now).ConfigureAwait(false);
            return false;
        }

        slot.Run(resumed!, stored.Version, observers);
        RolloutHostLog.Resumed(_logger, slot.Id, stored.State.Policy, stored.State.StepIndex, stored.State.Status, stored.Version);
        if (stored.State.Status is RolloutStatus.Promoted or RolloutStatus.Aborted)
        {
            await EndAsync(slot, null, now).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>Rebuilds a rollout from its saved state: null (with the reason) when the state is refused.</summary>
    private List<IDisposable>? Resume(string id, StoredRolloutState stored, out CanaryRollout? rollout, out string? reason)
    {
        (rollout, reason) = (null, null);
        var policy = stored.State.Policy;
        _registry.TryGet(id, out var registration);
        if (registration is not null && registration.Policy != policy)
        {
            reason = $"The rollout is registered with policy '{registration.Policy}', but its saved state is of policy '{policy}'.";
            return null;
        }

        try
        {
            var document = _registry.Catalog[policy];
            rollout = CanaryRollout.Resume(document.Build(SourceFor(registration, document)), stored.State);
        }
        catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException or InvalidOperationException)
        {
            reason = ex.Message;
            return null;
        }

        return Subscribe(id, rollout, registration);
    }

    /// <summary>Decides, and decides again while advancing (bounded), saving every decision that changed the state.</summary>
    private async Task<RolloutDecision> TickAsync(RolloutSlot slot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rollout = slot.Rollout!;
        for (var decisions = 1; ; decisions++)
        {
            var decision = await rollout.TickAsync(now, cancellationToken).ConfigureAwait(false);
            if (!ReferenceEquals(rollout.State, slot.SavedState))
            {
                // Once decided, the save completes even when stopping: the store's write is atomic, never half a state.
                var saved = await _store.SaveAsync(slot.Id, rollout.State, slot.Version, CancellationToken.None).ConfigureAwait(false);
                (slot.Version, slot.SavedState) = (saved.Version, rollout.State);
            }

            Decided?.Invoke(slot.Id, decision);
            if (decision.Action != RolloutAction.Advance || decisions >= _options.MaxAdvancesPerTick)
            {
                return decision;
            }
        }
    }

    private async Task ScheduleAsync(RolloutSlot slot, RolloutDecision decision, DateTimeOffset now)
    {
        if (decision.State.Status is RolloutStatus.Promoted or RolloutStatus.Aborted)
        {
            await EndAsync(slot, decision, now).ConfigureAwait(false);
            return;
        }

        var renewal = RenewalAfter(now);
        if (decision.NextTickAt is not { } next)
        {
            slot.TickAt = now + _options.PollInterval;
            slot.Publish(HostedRolloutHealth.Paused, decision.Reason, Earliest(now + _options.PollInterval, renewal), decision);
            return;
        }

        var failing = decision.Analyses.Where(m => m.Last?.Phase == MeasurementPhase.Error).MaxBy(m => m.ConsecutiveErrors);
        if (failing is { ConsecutiveErrors: > 0 and var errors })
        {
            var retry = now + _options.RetryDelay(errors);
            var at = next > retry ? next : retry;
            slot.TickAt = at;
            RolloutHostLog.ProviderBackoff(_logger, slot.Id, errors, (at - now).TotalSeconds);
            slot.Publish(HostedRolloutHealth.Backoff, $"{errors} provider error(s) in a row on '{failing.Name}' ({failing.Last?.ErrorKind?.ToString() ?? "not a query error"})", Earliest(at, renewal), decision, errors);
            return;
        }

        slot.StoreFailing = false;
        slot.TickAt = next;
        slot.Publish(HostedRolloutHealth.Running, null, Earliest(next, renewal), decision);
    }

    private async Task EndAsync(RolloutSlot slot, RolloutDecision? decision, DateTimeOffset now)
    {
        var state = slot.SavedState ?? slot.Rollout?.State;
        slot.WaitingOnVersion = slot.Version;
        slot.Drop();
        await ReleaseLeaseAsync(slot).ConfigureAwait(false);
        slot.Publish(HostedRolloutHealth.Ended, state?.Message, now + _options.PollInterval, decision);
    }

    private async Task RefuseAsync(RolloutSlot slot, string reason, string version, DateTimeOffset now)
    {
        if (slot.Status.Health != HostedRolloutHealth.Refused || slot.Status.Reason != reason)
        {
            RolloutHostLog.Refused(_logger, slot.Id, reason);
        }

        slot.Drop();
        slot.WaitingOnVersion = version;
        await ReleaseLeaseAsync(slot).ConfigureAwait(false);
        slot.Publish(HostedRolloutHealth.Refused, reason, now + _options.PollInterval);
    }

    private void NotOwned(RolloutSlot slot, RolloutLease lease, DateTimeOffset now)
    {
        slot.HoldsLease = false;
        slot.Drop();
        if (slot.Status.Health != HostedRolloutHealth.NotOwned)
        {
            RolloutHostLog.NotOwned(_logger, slot.Id, lease.Owner, lease.ExpiresAt);
        }

        slot.Publish(HostedRolloutHealth.NotOwned, $"Owned by {lease.Owner} until {lease.ExpiresAt:O}.", Earliest(lease.ExpiresAt, now + _options.PollInterval));
    }

    private async Task ReleaseLeaseAsync(RolloutSlot slot)
    {
        if (_leases is null || !slot.HoldsLease)
        {
            return;
        }

        slot.HoldsLease = false;
        try
        {
            await _leases.ReleaseAsync(slot.Id, InstanceId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The lease expires by itself; another host takes the rollout over then.
            slot.StoreFailing = true;
        }
    }

    private List<IDisposable> Subscribe(string id, CanaryRollout rollout, RolloutRegistration? registration)
    {
        var @namespace = registration?.Namespace ?? _options.Namespace;
        rollout.Logger = _rolloutLogger;
        var subscriptions = new List<IDisposable> { rollout.Subscribe(new RolloutLogger(_rolloutLogger)) };
        if (_metrics is not null)
        {
            subscriptions.Add(_metrics.Track(rollout, @namespace, id));   // one series set per rollout, even for rollouts of one policy
        }

        if (_notifications is not null)
        {
            subscriptions.Add(rollout.Subscribe(new RolloutNotifier(_notifications, new NotificationContext { Rollout = id, Namespace = @namespace })));
        }

        return subscriptions;
    }

    /// <summary>The rollout's traffic source: its registration's, a provider for its policy's Prometheus server, or the default.</summary>
    private ITrafficSource SourceFor(RolloutRegistration? registration, PolicyDocument document)
    {
        if (registration?.Source is { } source)
        {
            return source;
        }

        if (document.PrometheusAddress is not null)
        {
            lock (_documentSources)
            {
                if (!_documentSources.TryGetValue(document.Name, out var built))
                {
                    var provider = new PrometheusMetricProvider(document.CreatePrometheusOptions(), _time);
                    built = (provider, new PrometheusTrafficSource(provider, document.Convention));
                    _documentSources.Add(document.Name, built);
                }

                return built.Source;
            }
        }

        return _defaultSource ?? throw new InvalidOperationException(
            $"{document.Origin}: policy '{document.Name}' names no source (source.prometheus), and neither the rollout's registration nor the host has a traffic source.");
    }

    /// <summary>When a lease taken at <paramref name="now"/> is renewed: after a third of its duration (never, without leases).</summary>
    private DateTimeOffset RenewalAfter(DateTimeOffset now) => _leases is null ? DateTimeOffset.MaxValue : now + (_options.LeaseDuration / 3);

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;
}
