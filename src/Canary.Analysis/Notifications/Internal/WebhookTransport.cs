using System.Globalization;
using System.Net.Http.Headers;
using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Notifications.Internal;

/// <summary>
/// Posts a rendered body to a receiver whose address is a secret: one attempt under a timeout, failures as
/// <see cref="NotificationDeliveryException"/> with only the receiver's host in their text.
/// </summary>
internal sealed class WebhookTransport : IDisposable
{
    private readonly Uri _address;
    private readonly string? _basic;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly string[] _secrets;

    public WebhookTransport(Uri address, NotificationSinkOptions? options, string kind)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new NotificationSinkOptions();
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            // Not the address itself: it is a secret.
            throw new ArgumentException("The receiver's address must be an absolute http or https URL.", nameof(address));
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout == System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Timeout, "The timeout must be positive and finite.");
        }

        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        _address = string.IsNullOrEmpty(address.UserInfo) ? address : new UriBuilder(address) { UserName = string.Empty, Password = string.Empty }.Uri;
        _basic = string.IsNullOrEmpty(address.UserInfo) ? null : Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(address.UserInfo)));
        _timeout = options.Timeout;
        _time = options.TimeProvider;
        _ownsClient = options.HttpClient is null;
        _client = options.HttpClient ?? new HttpClient(HttpHandlers.Create(4), disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _secrets = Redaction.Secrets([address.OriginalString, address.AbsoluteUri, _address.AbsoluteUri, address.PathAndQuery, address.AbsolutePath.TrimStart('/'), address.Query, Uri.UnescapeDataString(address.UserInfo), _basic]);
        Name = $"{kind} ({address.Scheme}://{address.Authority}/{Redaction.Mask})";
    }

    /// <summary>Gets the sink's name: its kind and the receiver's scheme and host, the rest masked.</summary>
    public string Name { get; }

    /// <summary>Sends <paramref name="body"/> with <paramref name="mediaType"/> to the receiver (or to <paramref name="relative"/> under it).</summary>
    public async Task PostAsync(byte[] body, string mediaType, string? relative, CancellationToken cancellationToken)
    {
        var target = relative is null ? _address : new Uri(WithTrailingSlash(_address), relative);
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" } } },
        };
        if (_basic is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _basic);
        }

        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new NotificationDeliveryException(Invariant($"{Name} did not answer within {_timeout.TotalSeconds:0.###} s."), Redaction.Inner(ex, _secrets));
        }
        catch (HttpRequestException ex)
        {
            throw new NotificationDeliveryException($"{Name} could not be reached: {Redaction.Text(ex.Message, _secrets)}", Redaction.Inner(ex, _secrets));
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var status = (int)response.StatusCode;
            throw new NotificationDeliveryException(Invariant($"{Name} answered {status} {Redaction.Text(response.ReasonPhrase, _secrets)}."))
            {
                StatusCode = status,
                IsTransient = status is 408 or 425 or 429 or >= 500,
                RetryAfter = RetryAfterHeader.Read(response.Headers, _time),
            };
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private static Uri WithTrailingSlash(Uri address) =>
        address.AbsolutePath.EndsWith('/') ? address : new UriBuilder(address) { Path = address.AbsolutePath + "/" }.Uri;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
