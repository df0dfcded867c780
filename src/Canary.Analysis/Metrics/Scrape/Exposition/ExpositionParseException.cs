namespace Canary.Analysis.Metrics.Scrape.Exposition;

/// <summary>
/// A metrics exposition (Prometheus text format 0.0.4 or OpenMetrics 1.0) is not well formed. The parser throws
/// nothing else on bad input.
/// </summary>
public sealed class ExpositionParseException : Exception
{
    /// <summary>Creates an exception with no detail.</summary>
    public ExpositionParseException()
        : this("The metrics exposition is not well formed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public ExpositionParseException(string message)
        : base(message)
    {
        Snippet = string.Empty;
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ExpositionParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Snippet = string.Empty;
    }

    /// <summary>Creates an exception that names the line and shows its start.</summary>
    /// <param name="problem">What is wrong.</param>
    /// <param name="lineNumber">The 1-based line number.</param>
    /// <param name="snippet">The start of the line.</param>
    public ExpositionParseException(string problem, int lineNumber, string snippet)
        : base($"Line {lineNumber}: {problem} (line starts: \"{snippet}\")")
    {
        LineNumber = lineNumber;
        Snippet = snippet;
    }

    /// <summary>Gets the 1-based number of the offending line, or 0 when unknown.</summary>
    public int LineNumber { get; }

    /// <summary>Gets the start of the offending line (at most 80 characters), or empty when unknown.</summary>
    public string Snippet { get; }
}
