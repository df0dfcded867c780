using System.Buffers;

namespace Canary.Analysis.Metrics.Prometheus.Internal;

/// <summary>A response body read into an <see cref="ArrayPool{T}"/> buffer, with a size cap. Dispose to return the buffer.</summary>
internal sealed class PooledBody : IDisposable
{
    private const int InitialSize = 16 * 1024;

    private byte[] buffer;

    private PooledBody(byte[] buffer, int length, bool truncated)
    {
        this.buffer = buffer;
        Length = length;
        Truncated = truncated;
    }

    /// <summary>Gets the number of bytes read.</summary>
    public int Length { get; }

    /// <summary>Gets a value indicating whether the body was longer than the cap (only when reading with truncation).</summary>
    public bool Truncated { get; }

    /// <summary>Gets the bytes read.</summary>
    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, Length);

    /// <summary>Reads a stream up to <paramref name="maxBytes"/>.</summary>
    /// <param name="stream">The body.</param>
    /// <param name="sizeHint">The Content-Length, when known.</param>
    /// <param name="maxBytes">The cap.</param>
    /// <param name="truncate">True to stop at the cap and mark the body truncated; false to return null when the body is longer.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The body, or null when it is longer than the cap and <paramref name="truncate"/> is false.</returns>
    public static async Task<PooledBody?> ReadAsync(Stream stream, long? sizeHint, long maxBytes, bool truncate, CancellationToken cancellationToken)
    {
        var cap = (int)Math.Min(maxBytes, Array.MaxLength - 1);
        var initial = sizeHint is { } hint && hint >= 0 ? (int)Math.Min(hint + 1, cap + 1L) : Math.Min(InitialSize, cap + 1);
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 256));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == rented.Length)
                {
                    if (length > cap)
                    {
                        break;
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)rented.Length * 2, cap + 1L));
                    rented.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(rented);
                    rented = bigger;
                }

                var read = await stream.ReadAsync(rented.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > cap)
                {
                    break;
                }
            }

            if (length > cap)
            {
                if (!truncate)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                    return null;
                }

                return new PooledBody(rented, cap, truncated: true);
            }

            return new PooledBody(rented, length, truncated: false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(rented);
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var rented = buffer;
        if (rented.Length > 0)
        {
            buffer = [];
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
