using System.Globalization;

namespace Canary.Analysis.Policies;

/// <summary>One finding of <see cref="PolicyLinter"/>: a stable id, a severity, what is wrong (with the step and the numbers) and how to fix it.</summary>
public sealed class LintFinding
{
    /// <summary>Creates a finding.</summary>
    /// <param name="id">The rule's stable id, e.g. <c>CNY001</c>.</param>
    /// <param name="severity">How serious the finding is.</param>
    /// <param name="message">What is wrong, naming the step and the numbers.</param>
    /// <param name="fix">What to change.</param>
    /// <param name="stepIndex">The index of the step concerned, or null when the finding is about the whole policy.</param>
    /// <exception cref="ArgumentException">The id, message or fix is empty.</exception>
    public LintFinding(string id, LintSeverity severity, string message, string fix, int? stepIndex = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(fix);
        (Id, Severity, Message, Fix, StepIndex) = (id, severity, message, fix, stepIndex);
    }

    /// <summary>Gets the rule's stable id (<c>CNY001</c>–<c>CNY010</c>, see <see cref="PolicyLinter"/>).</summary>
    public string Id { get; }

    /// <summary>Gets how serious the finding is.</summary>
    public LintSeverity Severity { get; }

    /// <summary>Gets what is wrong, naming the step and the numbers.</summary>
    public string Message { get; }

    /// <summary>Gets what to change.</summary>
    public string Fix { get; }

    /// <summary>Gets the index of the step concerned, or null when the finding is about the whole policy.</summary>
    public int? StepIndex { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id} {Severity}: {Message} Fix: {Fix}");
}
