namespace Canary.Analysis.Traffic;

/// <summary>The class of an HTTP status, read from a full code (<c>503</c>) or a reduced one (<c>5xx</c>).</summary>
public enum StatusClass
{
    /// <summary>A status that is not an HTTP status class (empty, <c>0</c>, a gRPC name, …).</summary>
    Other,

    /// <summary>1xx.</summary>
    Informational,

    /// <summary>2xx.</summary>
    Success,

    /// <summary>3xx.</summary>
    Redirection,

    /// <summary>4xx.</summary>
    ClientError,

    /// <summary>5xx.</summary>
    ServerError,
}
