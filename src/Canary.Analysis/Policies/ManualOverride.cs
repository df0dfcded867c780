namespace Canary.Analysis.Policies;

/// <summary>
/// A recorded human command: what, who, why and when. Kept in the state and visible in every later decision; a value
/// (equal commands are <c>==</c>).
/// </summary>
public sealed record ManualOverride
{
    /// <summary>Gets the command.</summary>
    public ManualAction Action { get; init; }

    /// <summary>Gets who gave it.</summary>
    public required string By { get; init; }

    /// <summary>Gets why.</summary>
    public required string Reason { get; init; }

    /// <summary>Gets when.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Gets the step index it was given at.</summary>
    public int AtStep { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Action} by {By} at {At:O} (step {AtStep}): {Reason}";
}
