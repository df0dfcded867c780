using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Tests.Metrics.Internal;

public sealed class PooledBodyTests
{
    [Theory]
    [InlineData(5_000_000)]
    [InlineData(3 * 1024 * 1024)]
    [InlineData(100_000)]
    public async Task ReadAsync_ChunkedBodyFarOverTheCap_BufferStaysWithinAQuarterOverTheCap(int cap)
    {
        await using var stream = new EndlessStream(4 * cap);

        using var body = await PooledBody.ReadAsync(stream, sizeHint: null, cap, truncate: true, CancellationToken.None);

        Assert.NotNull(body);
        Assert.True(body.Truncated);
        Assert.Equal(cap, body.Length);
        Assert.InRange(body.Capacity, cap, (int)(cap * 1.25));
        Assert.True(stream.Position <= (long)(cap * 1.25) + 8192, $"read {stream.Position} bytes of a {cap}-byte cap");
    }

    [Fact]
    public async Task ReadAsync_BodyOverTheCapWithoutTruncation_ReturnsNullAfterReadingAtMostTheCap()
    {
        const int cap = 2_000_000;
        await using var stream = new EndlessStream(50 * cap);

        var body = await PooledBody.ReadAsync(stream, sizeHint: null, cap, truncate: false, CancellationToken.None);

        Assert.Null(body);
        Assert.True(stream.Position <= (long)(cap * 1.25) + 8192, $"read {stream.Position} bytes of a {cap}-byte cap");
    }

    [Fact]
    public async Task ReadAsync_BodyUnderTheCap_IsReadWhole()
    {
        var data = Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray();
        await using var stream = new EndlessStream(data.Length);

        using var body = await PooledBody.ReadAsync(stream, sizeHint: null, 1_000_000, truncate: false, CancellationToken.None);

        Assert.NotNull(body);
        Assert.False(body.Truncated);
        Assert.Equal(data, body.Span.ToArray());
    }

    /// <summary>A non-seekable body of <c>length</c> bytes (byte i = i mod 256), produced as it is read, 8 KiB at a time.</summary>
    private sealed class EndlessStream(long length) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(Math.Min(buffer.Length, 8192), length - position);
            for (var i = 0; i < n; i++)
            {
                buffer[i] = (byte)(position + i);
            }

            position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
