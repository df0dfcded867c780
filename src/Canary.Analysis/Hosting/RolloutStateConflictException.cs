namespace Canary.Analysis.Hosting;

/// <summary>A save named a version that is no longer the saved one: another writer saved in between, and nothing was written.</summary>
public sealed class RolloutStateConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RolloutStateConflictException()
        : this("The rollout's saved state changed since it was read.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public RolloutStateConflictException(string message)
        : base(message)
    {
        Rollout = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RolloutStateConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
        Rollout = string.Empty;
    }

    /// <summary>Creates the exception for a rollout.</summary>
    /// <param name="rollout">The rollout's id.</param>
    /// <param name="expectedVersion">The version the save named (null: none saved).</param>
    /// <param name="actualVersion">The version saved now (null: none).</param>
    public RolloutStateConflictException(string rollout, string? expectedVersion, string? actualVersion)
        : base($"The state of rollout '{rollout}' changed since it was read: the save expected {Describe(expectedVersion)}, the store holds {Describe(actualVersion)}. Read it again and decide on what is saved.")
    {
        Rollout = rollout;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>Gets the rollout's id.</summary>
    public string Rollout { get; }

    /// <summary>Gets the version the save named (null: none saved).</summary>
    public string? ExpectedVersion { get; }

    /// <summary>Gets the version saved now (null: none).</summary>
    public string? ActualVersion { get; }

    private static string Describe(string? version) => version is null ? "no saved state" : $"version {version}";
}
