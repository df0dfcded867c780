using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Canary.Analysis.Notifications;
using Canary.Analysis.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace Canary.Analysis.Tests.Notifications;

/// <summary>The dispatcher against a loopback receiver: delivery, retries, timeouts, a silent receiver, dedup, drops and redaction.</summary>
public sealed class NotificationDispatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static NotificationDispatcherOptions Fast(int attempts = 5, int capacity = 100, int remembered = 1024) => new()
    {
        MaxAttempts = attempts,
        QueueCapacity = capacity,
        DeduplicationCapacity = remembered,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(50),
        DrainTimeout = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public async Task Delivers_AStructuredCloudEventWithItsMediaType()
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(202, string.Empty));
        using var sink = new CloudEventsSink(new Uri(server.Address, "hooks/canary"));
        await using var dispatcher = new NotificationDispatcher([sink], Fast());
        var n = await NotificationScenarios.RolledBackNotificationAsync();

        Assert.True(dispatcher.Publish(n));
        await dispatcher.FlushAsync().WaitAsync(Patience);

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/canary", request.Target);
        Assert.StartsWith("application/cloudevents+json", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(n.Id, (string?)JsonNode.Parse(request.Body)!["id"]);
        Assert.Equal(1, dispatcher.Delivered);
        Assert.Equal(0, dispatcher.Failed);
    }

    [Fact]
    public async Task ServerErrors_AreRetriedWithTheSameBodyUntilAccepted()
    {
        var answers = 0;
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(Interlocked.Increment(ref answers) <= 2 ? 500 : 200, "ok"));
        using var sink = new SlackSink(new Uri(server.Address, "services/T0/B0/x"));
        await using var dispatcher = new NotificationDispatcher([sink], Fast());

        dispatcher.Publish(await NotificationScenarios.RolledBackNotificationAsync());
        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Equal(3, server.Requests.Count);
        Assert.Single(server.Requests.Select(r => r.Body).Distinct());
        Assert.Equal(1, dispatcher.Delivered);
        Assert.Equal(0, dispatcher.Failed);
    }

    [Fact]
    public async Task TooManyRequests_WaitsAsLongAsTheReceiverAsks()
    {
        var seen = new ConcurrentQueue<long>();
        await using var server = new LoopbackHttpServer(_ =>
        {
            seen.Enqueue(Stopwatch.GetTimestamp());
            return seen.Count == 1
                ? new LoopbackResponse(429, "slow down", new Dictionary<string, string> { ["Retry-After"] = "1" })
                : new LoopbackResponse(200, "ok");
        });
        using var sink = new SlackSink(server.Address);
        await using var dispatcher = new NotificationDispatcher([sink], new NotificationDispatcherOptions { InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromSeconds(5) });

        dispatcher.Publish(await NotificationScenarios.RolledBackNotificationAsync());
        await dispatcher.FlushAsync().WaitAsync(Patience);

        var times = seen.ToArray();
        Assert.Equal(2, times.Length);
        Assert.True(Stopwatch.GetElapsedTime(times[0], times[1]) >= TimeSpan.FromMilliseconds(900), $"retried after {Stopwatch.GetElapsedTime(times[0], times[1])}");
        Assert.Equal(1, dispatcher.Delivered);
    }

    [Fact]
    public async Task Retries_AreBounded()
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(503, "busy"));
        using var sink = new TeamsSink(new Uri(server.Address, "workflows/x"));
        await using var dispatcher = new NotificationDispatcher([sink], Fast(attempts: 3));

        dispatcher.Publish(await NotificationScenarios.RolledBackNotificationAsync());
        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(0, dispatcher.Delivered);
        Assert.Equal(1, dispatcher.Failed);
    }

    [Fact]
    public async Task ClientErrors_AreNotRetried()
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(400, "invalid_payload"));
        using var sink = new SlackSink(new Uri(server.Address, "services/T0/B0/x"));
        await using var dispatcher = new NotificationDispatcher([sink], Fast());

        dispatcher.Publish(await NotificationScenarios.RolledBackNotificationAsync());
        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Single(server.Requests);
        Assert.Equal(1, dispatcher.Failed);
    }

    [Fact]
    public async Task Timeouts_AreBoundedPerAttempt()
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(200, "late", Delay: TimeSpan.FromSeconds(30)));
        using var sink = new CloudEventsSink(server.Address, new NotificationSinkOptions { Timeout = TimeSpan.FromMilliseconds(200) });
        await using var dispatcher = new NotificationDispatcher([sink], Fast(attempts: 2));
        var clock = Stopwatch.StartNew();

        dispatcher.Publish(await NotificationScenarios.RolledBackNotificationAsync());
        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Equal(1, dispatcher.Failed);
        Assert.Equal(2, server.Requests.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"two attempts of 200 ms took {clock.Elapsed}");
    }

    [Fact]
    public async Task DirectSend_TimesOutWithADeliveryExceptionThatIsTransient()
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(200, "late", Delay: TimeSpan.FromSeconds(30)));
        using var sink = new CloudEventsSink(server.Address, new NotificationSinkOptions { Timeout = TimeSpan.FromMilliseconds(100) });

        var ex = await Assert.ThrowsAsync<NotificationDeliveryException>(async () => await sink.SendAsync(await NotificationScenarios.RolledBackNotificationAsync()));

        Assert.True(ex.IsTransient);
        Assert.Null(ex.StatusCode);
        Assert.Contains("did not answer within 0.1 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentReceiver_NeverDelaysPublish()
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(200, "late", Delay: TimeSpan.FromSeconds(60)));
        using var sink = new SlackSink(server.Address);
        var dispatcher = new NotificationDispatcher([sink], Fast());
        var n = await NotificationScenarios.RolledBackNotificationAsync();
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 200; i++)
        {
            Assert.True(dispatcher.Publish(n with { Id = $"n{i}" }));
        }

        var publishing = clock.Elapsed;
        await dispatcher.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.True(publishing < TimeSpan.FromMilliseconds(500), $"200 publishes to a silent receiver took {publishing}");
        Assert.Equal(0, dispatcher.Delivered);
        Assert.Equal(200, dispatcher.Dropped + dispatcher.Failed);
        Assert.False(dispatcher.Publish(n with { Id = "after" }));
    }

    [Fact]
    public async Task SameNotification_IsSentOnce()
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(200, "ok"));
        using var sink = new SlackSink(server.Address);
        await using var dispatcher = new NotificationDispatcher([sink], Fast());
        var n = await NotificationScenarios.RolledBackNotificationAsync();

        Assert.True(dispatcher.Publish(n));
        Assert.False(dispatcher.Publish(await NotificationScenarios.RolledBackNotificationAsync()));
        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Single(server.Requests);
        Assert.Equal(1, dispatcher.Duplicates);
    }

    [Fact]
    public async Task Deduplication_RemembersABoundedNumberOfIds()
    {
        var sink = new GatedSink(open: true);
        await using var dispatcher = new NotificationDispatcher([sink], Fast(remembered: 2));
        var n = await NotificationScenarios.RolledBackNotificationAsync();

        Assert.True(dispatcher.Publish(n with { Id = "a" }));
        Assert.True(dispatcher.Publish(n with { Id = "b" }));
        Assert.False(dispatcher.Publish(n with { Id = "a" }));
        Assert.True(dispatcher.Publish(n with { Id = "c" }));
        Assert.True(dispatcher.Publish(n with { Id = "a" }));
        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Equal(["a", "b", "c", "a"], sink.Sent);
    }

    [Fact]
    public async Task FullQueue_DropsTheOldestAndCountsThem()
    {
        var sink = new GatedSink(open: false);
        await using var dispatcher = new NotificationDispatcher([sink], Fast(capacity: 2));
        var n = await NotificationScenarios.RolledBackNotificationAsync();
        dispatcher.Publish(n with { Id = "1" });
        await sink.Entered.Task.WaitAsync(Patience);

        foreach (var id in new[] { "2", "3", "4", "5" })
        {
            dispatcher.Publish(n with { Id = id });
        }

        sink.Open();
        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Equal(2, dispatcher.Dropped);
        Assert.Equal(["1", "4", "5"], sink.Sent);
        Assert.Equal(3, dispatcher.Delivered);
    }

    [Fact]
    public async Task Disposal_AbandonsWhatIsInFlightOrQueuedAndCountsIt()
    {
        var sink = new GatedSink(open: false);
        var dispatcher = new NotificationDispatcher([sink], Fast());
        var n = await NotificationScenarios.RolledBackNotificationAsync();
        dispatcher.Publish(n with { Id = "1" });
        await sink.Entered.Task.WaitAsync(Patience);
        dispatcher.Publish(n with { Id = "2" });
        dispatcher.Publish(n with { Id = "3" });

        await dispatcher.DisposeAsync().AsTask().WaitAsync(Patience);
        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Equal(3, dispatcher.Dropped);
        Assert.Empty(sink.Sent);
        Assert.Equal(0, dispatcher.Failed);
    }

    [Fact]
    public async Task AFailingSink_DoesNotStopTheOthers()
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(200, "ok"));
        using var good = new SlackSink(server.Address);
        await using var dispatcher = new NotificationDispatcher([new ThrowingSink(), good], Fast(attempts: 2));

        dispatcher.Publish(await NotificationScenarios.RolledBackNotificationAsync());
        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Single(server.Requests);
        Assert.Equal(1, dispatcher.Delivered);
        Assert.Equal(1, dispatcher.Failed);
    }

    [Fact]
    public async Task WebhookAddresses_NeverAppearInNamesExceptionsOrLogs()
    {
        const string Token = "s3cr3t-t0ken-XYZ";
        const string Signature = "sig-4f9a7c";
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(500, "boom"));
        var address = new Uri(server.Address, $"services/T0/B0/{Token}?sig={Signature}");
        using var slack = new SlackSink(address);
        using var teams = new TeamsSink(address);
        using var events = new CloudEventsSink(address);
        using var alerts = new AlertmanagerSink(new Uri($"http://admin:{Token}@127.0.0.1:{server.Address.Port}/"));
        var logger = new CollectingLogger();
        var n = await NotificationScenarios.RolledBackNotificationAsync();
        await using (var dispatcher = new NotificationDispatcher([slack, teams, events, alerts], Fast(attempts: 2), logger))
        {
            dispatcher.Publish(n);
            await dispatcher.FlushAsync().WaitAsync(Patience);
            Assert.Equal(4, dispatcher.Failed);
        }

        // A refused connection, too: nothing listens on a port just freed.
        var freed = FreePort();
        using var refused = new SlackSink(new Uri($"http://127.0.0.1:{freed}/services/T0/B0/{Token}?sig={Signature}"));
        var refusal = await Assert.ThrowsAsync<NotificationDeliveryException>(() => refused.SendAsync(n));
        var status = await Assert.ThrowsAsync<NotificationDeliveryException>(() => slack.SendAsync(n));

        var texts = new List<string>(logger.Lines) { slack.Name, teams.Name, events.Name, alerts.Name, slack.ToString(), alerts.ToString(), refusal.ToString(), status.ToString() };
        Assert.Equal(500, status.StatusCode);
        Assert.Contains(logger.Lines, line => line.Contains("127.0.0.1", StringComparison.Ordinal) && line.Contains("500", StringComparison.Ordinal));
        Assert.All(texts, text =>
        {
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Signature, text, StringComparison.Ordinal);
            Assert.DoesNotContain("services/T0", text, StringComparison.Ordinal);
        });
        Assert.Contains(server.Requests, r => r.Header("Authorization") == "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"admin:{Token}")));
    }

    [Fact]
    public void Options_AreChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NotificationDispatcher([], new NotificationDispatcherOptions { MaxAttempts = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NotificationDispatcher([], new NotificationDispatcherOptions { QueueCapacity = 0 }));
        Assert.Throws<ArgumentNullException>(() => new NotificationDispatcher([null!]));
        Assert.Throws<ArgumentException>(() => new SlackSink(new Uri("ftp://hooks.example.com/x")));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlackSink(new Uri("https://hooks.example.com/x"), new NotificationSinkOptions { Timeout = TimeSpan.Zero }));
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A sink that records what it sends and, while closed, holds its first attempt.</summary>
    private sealed class GatedSink(bool open) : INotificationSink
    {
        private readonly TaskCompletionSource _gate = NewGate(open);

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> Sent { get; } = new();

        public string Name => "gated";

        public void Open() => _gate.TrySetResult();

        public async Task SendAsync(RolloutNotification notification, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
            Sent.Enqueue(notification.Id);
        }

        private static TaskCompletionSource NewGate(bool open)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (open)
            {
                gate.SetResult();
            }

            return gate;
        }
    }

    private sealed class ThrowingSink : INotificationSink
    {
        public string Name => "throwing";

        public Task SendAsync(RolloutNotification notification, CancellationToken cancellationToken = default) => throw new InvalidOperationException("sink bug");
    }

    private sealed class CollectingLogger : ILogger<NotificationDispatcher>
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            _lines.Enqueue($"{logLevel} {eventId.Id} {formatter(state, exception)} {structured} {exception}");
        }
    }
}
