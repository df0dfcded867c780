using System.Net;
using System.Text;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Prometheus;

namespace Canary.Analysis.Tests.Metrics.Prometheus;

/// <summary>Behaviour that needs a real <see cref="HttpMessageHandler"/> pipeline (no Flurl HttpTest): streaming bodies, real timeouts, cancellation in flight.</summary>
public sealed class PrometheusMetricProviderTransportTests
{
    private const string VectorJson = """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"api"},"value":[1,"1"]}]}}""";

    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    private static PrometheusMetricProvider Provider(StubHandler handler, Action<PrometheusOptions>? configure = null)
    {
        var options = new PrometheusOptions { Address = new Uri("http://127.0.0.1:9/") };
        configure?.Invoke(options);
        return new PrometheusMetricProvider(new HttpClient(handler), options);
    }

    [Fact]
    public async Task QueryAsync_ChunkedBodyOverLimit_ThrowsResponseTooLarge()
    {
        var body = Encoding.UTF8.GetBytes(VectorJson + new string(' ', 10_000));
        using var handler = new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new NonSeekableStream(body)),
        }));
        using var provider = Provider(handler, o => o.MaxResponseBytes = 4096);

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("up", Time));

        Assert.Equal(MetricQueryErrorKind.ResponseTooLarge, ex.Kind);
        Assert.Contains("without a Content-Length", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_ChunkedBodyUnderLimit_IsParsed()
    {
        var body = Encoding.UTF8.GetBytes(VectorJson + new string(' ', 50_000));
        using var handler = new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new NonSeekableStream(body)),
        }));
        using var provider = Provider(handler);

        var result = await provider.QueryAsync("up", Time);

        Assert.Equal("api", result.Series[0].GetLabel("job"));
    }

    [Fact]
    public async Task QueryAsync_ServerNeverAnswers_ThrowsTimeoutAfterConfiguredTimeout()
    {
        using var handler = new StubHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var provider = Provider(handler, o => o.Timeout = TimeSpan.FromMilliseconds(200));

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("up", Time));

        Assert.Equal(MetricQueryErrorKind.Timeout, ex.Kind);
        Assert.Contains("0.2 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_BodyStalls_ThrowsTimeout()
    {
        using var handler = new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new StallingStream()),
        }));
        using var provider = Provider(handler, o => o.Timeout = TimeSpan.FromMilliseconds(200));

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("up", Time));

        Assert.Equal(MetricQueryErrorKind.Timeout, ex.Kind);
    }

    [Fact]
    public async Task QueryAsync_CallerCancelsInFlight_ThrowsOperationCanceledNotTimeout()
    {
        using var handler = new StubHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var provider = Provider(handler, o => o.Timeout = TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.QueryAsync("up", Time, cts.Token));

        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Fact]
    public async Task QueryAsync_ConnectionRefused_ThrowsTransport()
    {
        using var handler = new StubHandler((_, _) => throw new HttpRequestException("Connection refused"));
        using var provider = Provider(handler);

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("up", Time));

        Assert.Equal(MetricQueryErrorKind.Transport, ex.Kind);
    }

    [Fact]
    public async Task QueryAsync_BodyBreaksWhileReading_ThrowsTransport()
    {
        using var handler = new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new BrokenStream()),
        }));
        using var provider = Provider(handler);

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("up", Time));

        Assert.Equal(MetricQueryErrorKind.Transport, ex.Kind);
    }

    [Fact]
    public async Task QueryAsync_InjectedClient_AppliesHeadersAndPost()
    {
        HttpRequestMessage? seen = null;
        string? form = null;
        using var handler = new StubHandler(async (request, ct) =>
        {
            seen = request;
            form = await request.Content!.ReadAsStringAsync(ct);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(VectorJson) };
        });
        using var provider = Provider(handler, o =>
        {
            o.BearerToken = "t0ken";
            o.TenantId = "tenant-1";
        });

        await provider.QueryAsync("up", Time);

        Assert.NotNull(seen);
        Assert.Equal(HttpMethod.Post, seen.Method);
        Assert.Equal("http://127.0.0.1:9/api/v1/query", seen.RequestUri!.ToString());
        Assert.Equal("Bearer t0ken", seen.Headers.Authorization!.ToString());
        Assert.Equal("tenant-1", seen.Headers.GetValues("X-Scope-OrgID").Single());
        Assert.Equal("query=up&time=1700000000", form);
    }

    [Fact]
    public async Task QueryAsync_InjectedClientAlreadyUsed_StillWorksAndIsNotDisposed()
    {
        using var handler = new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(VectorJson) }));
        using var httpClient = new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:9/prefix/") };
        using (await httpClient.GetAsync(new Uri("http://127.0.0.1:9/warm-up")))
        {
        }

        using (var provider = new PrometheusMetricProvider(httpClient, new PrometheusOptions()))
        {
            var result = await provider.QueryAsync("up", Time);
            Assert.Equal("api", result.Series[0].GetLabel("job"));
        }

        using var after = await httpClient.GetAsync(new Uri("http://127.0.0.1:9/still-alive"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private sealed class StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => send(request, cancellationToken);
    }

    private sealed class NonSeekableStream(byte[] data) : Stream
    {
        private int position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 1000), data.Length - position);
            Array.Copy(data, position, buffer, offset, n);
            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class StallingStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class BrokenStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("The response ended prematurely.");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(new IOException("The response ended prematurely."));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
