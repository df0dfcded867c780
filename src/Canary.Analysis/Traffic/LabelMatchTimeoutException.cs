namespace Canary.Analysis.Traffic;

/// <summary>
/// A regular-expression label matcher (<c>=~</c>, <c>!~</c>) took longer than its match timeout on one label value.
/// Matchers use a non-backtracking engine (as PromQL's RE2 does), so this needs a pathological value length; a check
/// reading traffic through such a matcher reports an Error measurement with this message, never a verdict.
/// </summary>
public sealed class LabelMatchTimeoutException : TimeoutException
{
    /// <summary>Creates an exception without details (for serializers and tooling).</summary>
    public LabelMatchTimeoutException()
        : this("A label matcher timed out.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public LabelMatchTimeoutException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause (a <see cref="System.Text.RegularExpressions.RegexMatchTimeoutException"/>).</param>
    public LabelMatchTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Matcher = string.Empty;
    }

    /// <summary>Creates an exception for a matcher that timed out.</summary>
    /// <param name="matcher">The matcher, rendered as PromQL (for example <c>pod=~"web-.*"</c>).</param>
    /// <param name="matchTimeout">The timeout it exceeded.</param>
    /// <param name="valueLength">The length of the label value it was matching.</param>
    /// <param name="innerException">The cause.</param>
    public LabelMatchTimeoutException(string matcher, TimeSpan matchTimeout, int valueLength, Exception? innerException = null)
        : base($"Label matcher {matcher} timed out after {matchTimeout.TotalMilliseconds:0.###} ms on a label value of {valueLength} characters; the series cannot be selected.", innerException)
    {
        Matcher = matcher ?? string.Empty;
        MatchTimeout = matchTimeout;
    }

    /// <summary>Gets the matcher that timed out, rendered as PromQL.</summary>
    public string Matcher { get; }

    /// <summary>Gets the timeout the matcher exceeded.</summary>
    public TimeSpan MatchTimeout { get; }
}
