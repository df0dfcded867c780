namespace Canary.Analysis.Notifications;

/// <summary>A notification was not delivered: the receiver could not be reached, timed out, or refused. The message never holds the receiver's address beyond its host.</summary>
public sealed class NotificationDeliveryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NotificationDeliveryException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message (without secrets).</param>
    public NotificationDeliveryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message (without secrets).</param>
    /// <param name="innerException">The cause (without secrets).</param>
    public NotificationDeliveryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the receiver's HTTP status code, or null when it did not answer.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets a value indicating whether trying again may succeed (no answer, a timeout, 408, 429, 5xx).</summary>
    public bool IsTransient { get; init; } = true;

    /// <summary>Gets how long the receiver asked to wait before trying again (<c>Retry-After</c>), or null.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
