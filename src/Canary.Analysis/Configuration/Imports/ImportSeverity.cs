namespace Canary.Analysis.Configuration.Imports;

/// <summary>How much an <see cref="ImportFinding"/> matters.</summary>
public enum ImportSeverity
{
    /// <summary>Left out without changing what is judged (a notification, a label, a setting the document does not need).</summary>
    Info,

    /// <summary>Mapped approximately: the imported policy judges the same thing, differently (the message says how).</summary>
    Warning,

    /// <summary>
    /// Something the source judged is not judged by the imported policy (not imported), or the source itself passes a canary
    /// it should not (on missing data, or with limits no failure can reach): read it before you rely on either.
    /// </summary>
    Error,
}
