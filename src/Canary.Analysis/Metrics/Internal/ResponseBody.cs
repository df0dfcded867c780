using Flurl.Http;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>Reads a response body under a size cap, for every backend: the Content-Length is checked first, then the bytes as they come.</summary>
internal static class ResponseBody
{
    /// <summary>The most bytes read of an error answer (the start is enough to say what went wrong).</summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>
    /// Reads the body into a pooled buffer: a success up to <paramref name="maxResponseBytes"/> (more is an error), an
    /// error answer truncated to <see cref="MaxErrorBodyBytes"/> (or the cap, if smaller).
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="maxResponseBytes">The largest body accepted.</param>
    /// <param name="tooLarge">Makes the caller's error for a body over the cap, given what was too large (e.g. <c>Content-Length 9 bytes</c>).</param>
    /// <param name="token">Cancels the read.</param>
    /// <returns>The body; dispose it to return its buffer.</returns>
    public static async Task<PooledBody> ReadAsync(IFlurlResponse response, long maxResponseBytes, Func<string, Exception> tooLarge, CancellationToken token)
    {
        var success = response.StatusCode is >= 200 and < 300;
        var content = response.ResponseMessage.Content;
        var length = content.Headers.ContentLength;
        if (success && length > maxResponseBytes)
        {
            throw tooLarge($"Content-Length {length} bytes");
        }

        var stream = await content.ReadAsStreamAsync(token).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var cap = success ? maxResponseBytes : Math.Min(maxResponseBytes, MaxErrorBodyBytes);
            return await PooledBody.ReadAsync(stream, length, cap, truncate: !success, token).ConfigureAwait(false)
                ?? throw tooLarge("the body (read without a Content-Length)");
        }
    }
}
