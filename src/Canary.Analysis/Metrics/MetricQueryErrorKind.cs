namespace Canary.Analysis.Metrics;

/// <summary>What went wrong with a query, independent of the backend.</summary>
public enum MetricQueryErrorKind
{
    /// <summary>The backend answered with an error of its own (bad query, execution error, …).</summary>
    Backend,

    /// <summary>The request was rejected for its credentials (401/403).</summary>
    Unauthorized,

    /// <summary>The backend asked to slow down (429).</summary>
    RateLimited,

    /// <summary>The backend did not answer in time.</summary>
    Timeout,

    /// <summary>The backend could not be reached.</summary>
    Transport,

    /// <summary>The response could not be understood (malformed JSON, unexpected shape).</summary>
    InvalidResponse,

    /// <summary>The response was larger than the configured limit.</summary>
    ResponseTooLarge,
}
