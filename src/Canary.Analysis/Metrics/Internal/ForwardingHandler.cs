namespace Canary.Analysis.Metrics.Internal;

/// <summary>
/// Sends requests through an injected <see cref="HttpClient"/> that has already been used, which Flurl cannot wrap
/// directly (its constructor sets <see cref="HttpClient.Timeout"/>, which throws once a client has sent a request).
/// The injected client keeps its handlers, default headers and timeout, and is not disposed.
/// </summary>
internal sealed class ForwardingHandler(HttpClient inner) : HttpMessageHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A request message can be sent only once, and the outer HttpClient has already marked this one as sent.
        using var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Content = request.Content,
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
        };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        var response = await inner.SendAsync(copy, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        copy.Content = null; // The content belongs to the original request, which disposes it.
        response.RequestMessage = request;
        return response;
    }
}
