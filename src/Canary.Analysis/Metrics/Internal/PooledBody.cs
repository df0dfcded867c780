using System.Buffers;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>
/// A response body read into a buffer with a size cap, rented from <see cref="ArrayPool{T}"/> while that stays close to
/// the size needed. Dispose to return the buffer.
/// </summary>
/// <remarks>
/// The pool rounds sizes up to powers of two, so a 200 MB cap would rent 256 MiB for the last growth step. The buffer never
/// grows past cap + 1 bytes, and a size whose pooled array would exceed 1.25 × the cap is allocated exactly instead, so the
/// capacity stays within about 1.25 × the cap (plus 64 KiB for tiny caps) whatever the body does.
/// </remarks>
internal sealed class PooledBody : IDisposable
{
    private const int InitialSize = 16 * 1024;
    private const int AlwaysPooledSize = 64 * 1024;

    private byte[] buffer;
    private bool pooled;

    private PooledBody(byte[] buffer, bool pooled, int length, bool truncated)
    {
        this.buffer = buffer;
        this.pooled = pooled;
        Length = length;
        Truncated = truncated;
    }

    /// <summary>Gets the size of the buffer holding the body (for tests of the growth policy).</summary>
    internal int Capacity => buffer.Length;

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
        var (rented, pooled) = Allocate(Math.Max(initial, 256), cap);
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

                    var (bigger, biggerPooled) = Allocate((int)Math.Min((long)rented.Length * 2, cap + 1L), cap);
                    rented.AsSpan(0, length).CopyTo(bigger);
                    Release(rented, pooled);
                    (rented, pooled) = (bigger, biggerPooled);
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
                    Release(rented, pooled);
                    return null;
                }

                return new PooledBody(rented, pooled, cap, truncated: true);
            }

            return new PooledBody(rented, pooled, length, truncated: false);
        }
        catch
        {
            Release(rented, pooled);
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
            Release(rented, pooled);
            pooled = false;
        }
    }

    private static (byte[] Buffer, bool Pooled) Allocate(int size, int cap)
    {
        var pooledSize = System.Numerics.BitOperations.RoundUpToPowerOf2((uint)size);
        return size <= AlwaysPooledSize || pooledSize <= cap + (cap / 4L)
            ? (ArrayPool<byte>.Shared.Rent(size), true)
            : (GC.AllocateUninitializedArray<byte>(size), false);
    }

    private static void Release(byte[] array, bool pooled)
    {
        if (pooled)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
