namespace Canary.Analysis.Configuration;

/// <summary>A policy document that cannot be loaded: every error found, each naming the file, the field's path and the value.</summary>
public sealed class PolicyDocumentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PolicyDocumentException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message and no listed error.</summary>
    /// <param name="message">The message.</param>
    public PolicyDocumentException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception with a message, no listed error and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PolicyDocumentException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Creates the exception for the errors found.</summary>
    /// <param name="errors">The errors, in document order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="errors"/> is null.</exception>
    public PolicyDocumentException(IReadOnlyList<PolicyDocumentError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Gets the errors, in document order.</summary>
    public IReadOnlyList<PolicyDocumentError> Errors { get; }

    private static string Describe(IReadOnlyList<PolicyDocumentError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count switch
        {
            0 => "The policy document is invalid.",
            1 => $"The policy document is invalid: {errors[0]}",
            _ => $"The policy document is invalid ({errors.Count} errors):{Environment.NewLine}{string.Join(Environment.NewLine, errors.Select(e => $"  {e}"))}",
        };
    }
}
