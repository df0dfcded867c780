namespace Canary.Analysis.Notifications;

/// <summary>How a webhook sink reaches its receiver.</summary>
public sealed class NotificationSinkOptions
{
    /// <summary>Gets the client to send with (from <c>IHttpClientFactory</c>, with a proxy…), or null for the sink's own; a given client is not disposed.</summary>
    /// <value>The default value is null.</value>
    public HttpClient? HttpClient { get; init; }

    /// <summary>Gets how long one attempt may take, from sending to the receiver's status line.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the clock the timeout runs on.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
